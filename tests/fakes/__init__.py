"""Fake servers for tests: they speak real wire formats so real client code runs against them."""

from .llm_servers import FakeLLMServer, FakeOllama, FakeOpenAI, Recorded, Reply, tokens_of

__all__ = ["FakeLLMServer", "FakeOllama", "FakeOpenAI", "Recorded", "Reply", "tokens_of"]
