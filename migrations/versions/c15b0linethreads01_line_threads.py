"""threads that discuss a line of a place's count ("discuss this", issue 15)

Revision ID: c15b0linethreads01
Revises: c15a0places01
Create Date: 2026-12-03 19:09:54

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c15b0linethreads01'
down_revision = 'c15a0places01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('spending_line_threads',
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['spending_lines.id'], name=op.f('fk_spending_line_threads_line_id_spending_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], name=op.f('fk_spending_line_threads_linked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_spending_line_threads_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('line_id', 'thread_id', name=op.f('pk_spending_line_threads'))
    )
    with op.batch_alter_table('spending_line_threads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spending_line_threads_linked_by_id'), ['linked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spending_line_threads_thread_id'), ['thread_id'], unique=False)



def downgrade():
    with op.batch_alter_table('spending_line_threads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spending_line_threads_thread_id'))
        batch_op.drop_index(batch_op.f('ix_spending_line_threads_linked_by_id'))

    op.drop_table('spending_line_threads')
