"""conversations and messages

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 08:57:31.308547
"""

from alembic import op
import sqlalchemy as sa
import api.database.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conversation',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('external_key', sa.String(length=128), nullable=False),
    sa.Column('pseudonym', sa.String(length=16), nullable=False),
    sa.Column('created_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation')),
    sa.UniqueConstraint('channel', 'external_key', name=op.f('uq_conversation_channel_external_key')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_conversation_pseudonym'))
    )
    op.create_table('message',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('author', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=True),
    sa.Column('engine_status', sa.String(length=24), nullable=True),
    sa.Column('created_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_message_conversation_id_conversation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_conversation_created', ['conversation_id', 'created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_conversation_created')

    op.drop_table('message')
    op.drop_table('conversation')
