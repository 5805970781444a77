"""Database routing for checkout-api.

Routes the ``reporting`` app to the order_history database (DATABASES["history"]).
Everything else stays on "default", the main orders database.
"""


class ReportingRouter:
    route_app_labels = {"reporting"}

    def db_for_read(self, model, **hints):
        if model._meta.app_label in self.route_app_labels:
            return "history"
        return None

    def db_for_write(self, model, **hints):
        if model._meta.app_label in self.route_app_labels:
            return "history"
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # No foreign keys across orders / order_history: they are separate servers.
        if {obj1._state.db, obj2._state.db} == {"default", "history"}:
            return False
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The order_history schema is owned by Alembic (alembic/), never by Django.
        if app_label in self.route_app_labels or db == "history":
            return False
        return db == "default"
