"""budget counts: each pot's count as a job, its state, progress and lock (issue 13)

Revision ID: c13b0count01
Revises: c13a0forms01
Create Date: 2026-12-17 09:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c13b0count01'
down_revision = 'c13a0forms01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('budget_counts',
    sa.Column('pot_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=True),
    sa.Column('announce', sa.Boolean(), nullable=False),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('stage', sa.String(length=120), nullable=True),
    sa.Column('ballots_total', sa.Integer(), nullable=True),
    sa.Column('ballots_read', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('progress_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("state IN ('queued', 'counting', 'done', 'failed')", name=op.f('ck_budget_counts_state')),
    sa.ForeignKeyConstraint(['pot_id'], ['budget_pots.id'], name=op.f('fk_budget_counts_pot_id_budget_pots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pot_id', name=op.f('pk_budget_counts'))
    )


def downgrade():
    op.drop_table('budget_counts')
