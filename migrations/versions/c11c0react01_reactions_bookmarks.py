"""reactions and bookmarks: one "agree" per person per post; bookmarks of threads and posts (issue 11)

Revision ID: c11c0react01
Revises: c11b0search1
Create Date: 2026-12-03 07:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c11c0react01'
down_revision = 'c11b0search1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('post_reactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_reactions_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_post_reactions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_reactions')),
    sa.UniqueConstraint('post_id', 'user_id', name='uq_post_reactions_post_user')
    )
    with op.batch_alter_table('post_reactions', schema=None) as batch_op:
        batch_op.create_index('ix_post_reactions_post_created', ['post_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_reactions_user_id'), ['user_id'], unique=False)

    op.create_table('bookmarks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(thread_id IS NULL) <> (post_id IS NULL)', name=op.f('ck_bookmarks_one_target')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_bookmarks_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_bookmarks_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bookmarks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookmarks')),
    sa.UniqueConstraint('user_id', 'post_id', name='uq_bookmarks_user_post'),
    sa.UniqueConstraint('user_id', 'thread_id', name='uq_bookmarks_user_thread')
    )
    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.create_index('ix_bookmarks_user_created', ['user_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.drop_index('ix_bookmarks_user_created')
    op.drop_table('bookmarks')
    with op.batch_alter_table('post_reactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_reactions_user_id'))
        batch_op.drop_index('ix_post_reactions_post_created')
    op.drop_table('post_reactions')
