from django.db import migrations


def seed_service_account(apps, schema_editor):
    User = apps.get_model("auth", "User")
    User.objects.create(username="billing-bot", password="pbkdf2_sha256$600000$seed$Zm9vYmFy")  # unclear: hardcoded-secret


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(seed_service_account, migrations.RunPython.noop)]
