import pytest

from tests.subscriptions.factories import PackageFactory


@pytest.fixture
def package(provider):
    return PackageFactory(provider=provider, name="Fibre 100")


@pytest.fixture
def foreign_package(other_provider):
    return PackageFactory(provider=other_provider, name="Their package")
