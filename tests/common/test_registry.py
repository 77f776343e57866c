import pytest

from common.registry import Registry


def test_registry_orders_by_order_then_key():
    registry = Registry("panels")
    registry.register("b", "second", order=10)
    registry.register("a", "third", order=20)
    registry.register("c", "first", order=0)

    assert list(registry) == ["first", "second", "third"]
    assert [key for key, _ in registry.items()] == ["c", "b", "a"]


def test_registry_as_decorator_returns_the_function():
    registry = Registry("exporters")

    @registry.register("profile")
    def export(user):
        return {"user": user}

    assert export("x") == {"user": "x"}
    assert list(registry) == [export]


def test_registry_same_key_twice_is_an_error():
    registry = Registry("sections")
    registry.register("themes", object())

    with pytest.raises(ValueError, match="themes"):
        registry.register("themes", object())


def test_registry_get_gives_the_entry_under_a_key():
    registry = Registry("parts")
    registry.register("themes", "the themes part")

    assert registry.get("themes") == "the themes part"
    with pytest.raises(KeyError):
        registry.get("prizes")
