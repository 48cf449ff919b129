"""on-call, paging, outbox and audit

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:21:37.002906
"""

from alembic import op
import sqlalchemy as sa
import api.database.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('team',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('ack_timeout_seconds', sa.Integer(), nullable=False),
    sa.Column('repeat', sa.Integer(), nullable=False),
    sa.Column('updated_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team'))
    )
    op.create_table('worker_heartbeat',
    sa.Column('worker', sa.String(length=64), nullable=False),
    sa.Column('beat_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('worker', name=op.f('pk_worker_heartbeat'))
    )
    op.create_table('person',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_person_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('phone', name=op.f('uq_person_phone'))
    )
    op.create_table('shift',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.Column('start_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('is_override', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_shift_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_shift_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift'))
    )
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.create_index('ix_shift_team_kind_start', ['team_id', 'kind', 'start_at'], unique=False)

    op.create_table('team_manager',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_team_manager_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_manager_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'person_id', name=op.f('pk_team_manager'))
    )
    op.create_table('escalation_step',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=24), nullable=False),
    sa.Column('person_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ack_deadline', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', api.database.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], name=op.f('fk_escalation_step_escalation_id_escalation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_step')),
    sa.UniqueConstraint('escalation_id', 'round', 'position', name=op.f('uq_escalation_step_escalation_id_round_position'))
    )
    with op.batch_alter_table('escalation_step', schema=None) as batch_op:
        batch_op.create_index('ix_escalation_step_due', ['status', 'ack_deadline'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('to_number', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('person_id', sa.String(length=32), nullable=True),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_owner', sa.String(length=64), nullable=True),
    sa.Column('lease_until', api.database.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('provider_sid', sa.String(length=64), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', api.database.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', api.database.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('link_used_at', api.database.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], name=op.f('fk_notification_escalation_id_escalation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_notification_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['step_id'], ['escalation_step.id'], name=op.f('fk_notification_step_id_escalation_step'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_notification_dedupe_key')),
    sa.UniqueConstraint('provider_sid', name=op.f('uq_notification_provider_sid'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_escalation_id'), ['escalation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_step_id'), ['step_id'], unique=False)

    op.create_table('notification_attempt',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('worker', sa.String(length=64), nullable=False),
    sa.Column('started_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', api.database.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('provider_sid', sa.String(length=64), nullable=True),
    sa.Column('delivery_status', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['notification_id'], ['notification.id'], name=op.f('fk_notification_attempt_notification_id_notification'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_attempt'))
    )
    with op.batch_alter_table('notification_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_attempt_notification_id'), ['notification_id'], unique=False)

    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('paging_status', sa.String(length=16), nullable=False, server_default='paging'))
        batch_op.add_column(sa.Column('chain', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('acknowledged_at', api.database.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_by', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', api.database.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_by', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_escalation_resolved_by_person'), 'person', ['resolved_by'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_escalation_team_id_team'), 'team', ['team_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_escalation_acknowledged_by_person'), 'person', ['acknowledged_by'], ['id'], ondelete='SET NULL')

    op.create_table('takeover',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.Column('started_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_staff_at', api.database.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', api.database.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_takeover_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], name=op.f('fk_takeover_escalation_id_escalation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_takeover_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_takeover'))
    )
    with op.batch_alter_table('takeover', schema=None) as batch_op:
        batch_op.create_index('uq_takeover_active_conversation', ['conversation_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    # The audit trail only grows: the database itself refuses to change or remove an event.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit trail cannot be changed'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{event.lower()} BEFORE {event} ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_is_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    op.drop_table('takeover')
    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_escalation_acknowledged_by_person'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_escalation_team_id_team'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_escalation_resolved_by_person'), type_='foreignkey')
        batch_op.drop_column('outcome')
        batch_op.drop_column('resolved_by')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('acknowledged_by')
        batch_op.drop_column('acknowledged_at')
        batch_op.drop_column('chain')
        batch_op.drop_column('paging_status')
        batch_op.drop_column('team_id')

    with op.batch_alter_table('notification_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_attempt_notification_id'))

    op.drop_table('notification_attempt')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_step_id'))
        batch_op.drop_index(batch_op.f('ix_notification_escalation_id'))
        batch_op.drop_index('ix_notification_due')

    op.drop_table('notification')
    with op.batch_alter_table('escalation_step', schema=None) as batch_op:
        batch_op.drop_index('ix_escalation_step_due')

    op.drop_table('escalation_step')
    op.drop_table('team_manager')
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_index('ix_shift_team_kind_start')

    op.drop_table('shift')
    op.drop_table('person')
    op.drop_table('worker_heartbeat')
    op.drop_table('team')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_subject')

    op.drop_table('audit_event')
