"""search: one row per searchable item, and the full-text index (SQLite FTS5, PostgreSQL tsvector + GIN)

Revision ID: c11b0search1
Revises: c11a00jobs01
Create Date: 2026-12-03 07:30:00

"""
from alembic import op
import sqlalchemy as sa

# As forum/search/models.py creates them for metadata.create_all (copied: a migration never changes later).
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_documents', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    'CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END',
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP = [
    'DROP TABLE IF EXISTS search_fts',
]
POSTGRESQL_DDL = [
    "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED",
    'CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)',
]

# revision identifiers, used by Alembic.
revision = 'c11b0search1'
down_revision = 'c11a00jobs01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('post_number', sa.Integer(), nullable=True),
    sa.Column('pot_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pot_id'], ['budget_pots.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'object_id', name='uq_search_documents_kind_object')
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_created', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_documents_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_documents_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_documents_thread_id'), ['thread_id'], unique=False)

    # The full-text part, as the model's DDL events create it (forum/search/models.py); existing content is
    # indexed by `flask --app forum search reindex`.
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DDL if dialect == 'sqlite' else POSTGRESQL_DDL if dialect == 'postgresql' else []:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_DROP:
            op.execute(statement)
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_documents_thread_id'))
        batch_op.drop_index(batch_op.f('ix_search_documents_group_id'))
        batch_op.drop_index(batch_op.f('ix_search_documents_author_id'))
        batch_op.drop_index('ix_search_documents_created')

    op.drop_table('search_documents')
