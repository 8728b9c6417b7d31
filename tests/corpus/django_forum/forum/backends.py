from django.contrib.auth.backends import BaseBackend

from .models import LegacyAccount, Member


class LegacyForumBackend(BaseBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            legacy = LegacyAccount.objects.select_related("member").get(old_username=username, migrated=False)
        except LegacyAccount.DoesNotExist:
            return None
        if not password or legacy.legacy_password != password:  # expect: plaintext-password
            return None
        member = legacy.member
        member.set_password(password)  # ok: plaintext-password
        member.save(update_fields=["password"])
        legacy.legacy_password = ""  # ok: plaintext-password, hardcoded-secret
        legacy.migrated = True
        legacy.save(update_fields=["legacy_password", "migrated"])
        return member

    def get_user(self, user_id):
        return Member.objects.filter(pk=user_id).first()
