"""content versions: one number every visible change adds one to, for anonymous page caching and ETags (issue 14)

Revision ID: c14b0pages01
Revises: c14a0signin01
Create Date: 2026-12-03 16:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c14b0pages01'
down_revision = 'c14a0signin01'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('content_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_versions'))
    )
    op.bulk_insert(table, [{"id": 1, "number": 1, "changed_at": datetime.now(timezone.utc).replace(tzinfo=None)}])


def downgrade():
    op.drop_table('content_versions')
