"""Django's password backend, reading the signed-in person with their place in an agency.

Almost every page needs the person's membership (role) and agency, so
``get_user`` (run once per request by the authentication middleware) reads
them in the same query as the user instead of in two more.
"""

from django.contrib.auth import backends, get_user_model

UserModel = get_user_model()


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related("staff_membership__agency").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
