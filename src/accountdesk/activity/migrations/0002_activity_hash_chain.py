"""Chain every activity entry per customer: seq, prev_hash and hash, and one head per customer.

Entries written before chaining are chained here, each customer's in id order, in batches of
customers, with plain UPDATEs (the model refuses updates; the historical model has no such rule,
but one statement per row through the ORM would be slow on a large log).
"""

from django.db import migrations, models

from accountdesk.audit.chain import GENESIS, entry_hash

# Frozen copy of accountdesk.activity.models.CHAINED_FIELDS as of this migration.
CHAINED_FIELDS = (
    ("provider", "provider_id"),
    ("customer", "customer_id"),
    ("at", "at"),
    ("actor_type", "actor_type"),
    ("actor", "actor_id"),
    ("actor_name", "actor_name"),
    ("actor_email", "actor_email"),
    ("kind", "kind"),
    ("group", "group"),
    ("summary", "summary"),
    ("subject_type", "subject_type"),
    ("subject_id", "subject_id"),
    ("details", "details"),
)
CUSTOMERS_PER_BATCH = 200
ROWS_PER_UPDATE = 5000


def chain_existing_entries(apps, schema_editor):
    Activity = apps.get_model("activity", "Activity")
    ChainHead = apps.get_model("audit", "ChainHead")
    db = schema_editor.connection.alias
    connection = schema_editor.connection
    table = connection.ops.quote_name(Activity._meta.db_table)
    update = f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s"
    attrs = [attr for _, attr in CHAINED_FIELDS]
    names = [name for name, _ in CHAINED_FIELDS]
    customer_ids = list(
        Activity.objects.using(db).order_by("customer_id").values_list("customer_id", flat=True).distinct()
    )
    for start in range(0, len(customer_ids), CUSTOMERS_PER_BATCH):
        batch = customer_ids[start : start + CUSTOMERS_PER_BATCH]
        rows = (
            Activity.objects.using(db)
            .filter(customer_id__in=batch)
            .order_by("customer_id", "id")
            .values_list("id", *attrs)
        )
        updates, heads = [], {}
        for row in rows.iterator(chunk_size=5000):
            customer_id = row[2]
            seq, prev_hash = heads.get(customer_id, (0, GENESIS))
            digest = entry_hash(prev_hash, dict(zip(names, row[1:], strict=True)))
            updates.append((seq + 1, prev_hash, digest, row[0]))
            heads[customer_id] = (seq + 1, digest)
        with connection.cursor() as cursor:
            for at in range(0, len(updates), ROWS_PER_UPDATE):
                cursor.executemany(update, updates[at : at + ROWS_PER_UPDATE])
        ChainHead.objects.using(db).bulk_create(
            [ChainHead(key=f"activity:customer:{c}", seq=s, hash=h) for c, (s, h) in heads.items()],
            batch_size=500,
        )


COLUMNS = (("seq", "bigint", "0"), ("prev_hash", "varchar(64)", "''"), ("hash", "varchar(64)", "''"))


def add_columns(apps, schema_editor):
    """Plain ADD COLUMN with a constant default: instant on PostgreSQL and on SQLite, where
    Django's AddField would copy the whole table once per column."""
    table = schema_editor.quote_name("activity_activity")
    for name, kind, default in COLUMNS:
        column = schema_editor.quote_name(name)
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind} DEFAULT {default} NOT NULL")
        if schema_editor.connection.vendor != "sqlite":  # SQLite cannot drop a default; it is unused
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")


def drop_columns(apps, schema_editor):
    table = schema_editor.quote_name("activity_activity")
    for name, _, _ in COLUMNS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {schema_editor.quote_name(name)}")


LINK = models.UniqueConstraint(fields=("customer", "seq"), name="activity_chain_link")


def add_link_constraint(apps, schema_editor):
    """One link per place in a customer's chain. SQLite gets it as a unique index: Django would
    copy the whole table to add it as a constraint."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE UNIQUE INDEX activity_chain_link ON activity_activity (customer_id, seq)"
        )
    else:
        schema_editor.add_constraint(apps.get_model("activity", "Activity"), LINK)


def drop_link_constraint(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'activity_chain_link'")
            as_index = cursor.fetchone() is not None
        if as_index:
            schema_editor.execute("DROP INDEX activity_chain_link")
            return
    # (`apps` is the state before the constraint: on SQLite the table is rebuilt without it.)
    schema_editor.remove_constraint(apps.get_model("activity", "Activity"), LINK)


def forget_chains(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    ChainHead.objects.using(schema_editor.connection.alias).filter(
        key__startswith="activity:customer:"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_columns, drop_columns, elidable=False)],
            state_operations=[
                migrations.AddField(
                    model_name="activity",
                    name="seq",
                    field=models.BigIntegerField(default=0),
                    preserve_default=False,
                ),
                migrations.AddField(
                    model_name="activity",
                    name="prev_hash",
                    field=models.CharField(default="", max_length=64),
                    preserve_default=False,
                ),
                migrations.AddField(
                    model_name="activity",
                    name="hash",
                    field=models.CharField(default="", max_length=64),
                    preserve_default=False,
                ),
            ],
        ),
        migrations.RunPython(chain_existing_entries, forget_chains, elidable=False),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(add_link_constraint, drop_link_constraint, elidable=False)
            ],
            state_operations=[migrations.AddConstraint(model_name="activity", constraint=LINK)],
        ),
    ]
