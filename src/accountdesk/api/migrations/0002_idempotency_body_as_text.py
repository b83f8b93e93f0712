from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="idempotencykey",
            name="response_json",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
    ]
