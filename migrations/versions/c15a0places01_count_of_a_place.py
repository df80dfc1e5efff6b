"""the count of a place: spending lines by body and purpose, and populations (issue 15, Total Place)

Revision ID: c15a0places01
Revises: c14c0viewer01
Create Date: 2026-12-03 18:33:07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c15a0places01'
down_revision = 'c14c0viewer01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('area_populations',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.CheckConstraint('population > 0', name=op.f('ck_area_populations_population_positive')),
    sa.ForeignKeyConstraint(['area_id'], ['budget_areas.id'], name=op.f('fk_area_populations_area_id_budget_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('area_id', 'year', name=op.f('pk_area_populations'))
    )
    op.create_table('spending_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('body_kind', sa.String(length=20), nullable=False),
    sa.Column('body', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.String(length=8), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('focus', sa.String(length=20), nullable=True),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('line_number', sa.Integer(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("body_kind IN ('council', 'nhs', 'police', 'fire', 'schools', 'dwp', 'other')", name=op.f('ck_spending_lines_body_kind')),
    sa.CheckConstraint("focus IS NULL OR focus IN ('prevention', 'treatment')", name=op.f('ck_spending_lines_focus')),
    sa.CheckConstraint('amount_pence >= 0', name=op.f('ck_spending_lines_amount_not_negative')),
    sa.ForeignKeyConstraint(['area_id'], ['budget_areas.id'], name=op.f('fk_spending_lines_area_id_budget_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_spending_lines_imported_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spending_lines'))
    )
    with op.batch_alter_table('spending_lines', schema=None) as batch_op:
        batch_op.create_index('ix_spending_lines_area_year', ['area_id', 'year', 'purpose'], unique=False)
        batch_op.create_index(batch_op.f('ix_spending_lines_imported_by_id'), ['imported_by_id'], unique=False)



def downgrade():
    with op.batch_alter_table('spending_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spending_lines_imported_by_id'))
        batch_op.drop_index('ix_spending_lines_area_year')

    op.drop_table('spending_lines')
    op.drop_table('area_populations')
