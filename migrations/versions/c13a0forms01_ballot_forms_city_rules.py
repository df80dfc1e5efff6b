"""ballot forms and city rules: ordinal and choose-1 ballots (a rank per choice), greedy variants and a score threshold (issue 13)

Revision ID: c13a0forms01
Revises: c12a0reads01
Create Date: 2026-12-17 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c13a0forms01'
down_revision = 'c12a0reads01'
branch_labels = None
depends_on = None

KINDS_BEFORE = "ballot_kind IN ('approval', 'cumulative')"
KINDS_AFTER = "ballot_kind IN ('approval', 'cumulative', 'ordinal', 'choose_one')"
RULES_BEFORE = "results_rule IN ('greedy', 'mes')"
RULES_AFTER = "results_rule IN ('greedy', 'greedy_no_skip', 'greedy_threshold', 'mes')"


def upgrade():
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_score_threshold', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_budgets_ballot_kind'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_budgets_results_rule'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_budgets_ballot_kind'), KINDS_AFTER)
        batch_op.create_check_constraint(batch_op.f('ck_budgets_results_rule'), RULES_AFTER)
    with op.batch_alter_table('budget_ballot_choices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rank', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_budget_ballot_choices_rank_positive'), 'rank IS NULL OR rank > 0')


def downgrade():
    with op.batch_alter_table('budget_ballot_choices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_budget_ballot_choices_rank_positive'), type_='check')
        batch_op.drop_column('rank')
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_budgets_results_rule'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_budgets_ballot_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_budgets_ballot_kind'), KINDS_BEFORE)
        batch_op.create_check_constraint(batch_op.f('ck_budgets_results_rule'), RULES_BEFORE)
        batch_op.drop_column('min_score_threshold')
