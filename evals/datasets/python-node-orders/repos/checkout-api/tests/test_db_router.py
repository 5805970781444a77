"""Routing rules for the two databases (orders = "default", order_history = "history")."""
import pytest

from checkout.models import Order
from config.db_router import ReportingRouter
from reporting.models import ClosedOrder

router = ReportingRouter()


def test_reporting_models_are_read_from_history():
    assert router.db_for_read(ClosedOrder) == "history"


def test_reporting_models_are_written_to_history():
    assert router.db_for_write(ClosedOrder) == "history"


def test_checkout_models_use_default_routing():
    assert router.db_for_read(Order) is None
    assert router.db_for_write(Order) is None


@pytest.mark.parametrize("db", ["default", "history"])
def test_django_never_migrates_reporting_models(db):
    assert router.allow_migrate(db, "reporting") is False


def test_django_never_migrates_anything_on_history():
    assert router.allow_migrate("history", "checkout") is False


def test_checkout_migrates_on_default():
    assert router.allow_migrate("default", "checkout") is True


@pytest.mark.django_db(databases=["default", "history"])
def test_closed_order_queryset_is_bound_to_history():
    assert ClosedOrder.objects.all().db == "history"
