"""viewer versions: one number per person that every change to what only they see adds one to, for signed-in
page caching and ETags (issue 14)

Revision ID: c14c0viewer01
Revises: c14b0pages01
Create Date: 2026-12-03 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c14c0viewer01'
down_revision = 'c14b0pages01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('viewer_versions',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_viewer_versions'))
    )


def downgrade():
    op.drop_table('viewer_versions')
