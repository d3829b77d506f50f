"""Chat backends that narrate the advisor's deterministic answers: local llama.cpp, Ollama, OpenAI-compatible.

`build_chat_model(settings.llm)` gives a LangChain chat model (or None for mode=none); `backend_name` names
it; `classify_failure` turns a backend's exception into a one-line notice.
"""

from advisor.llm.factory import DEFAULT_OLLAMA_URL, backend_name, build_chat_model, classify_failure
from advisor.llm.llamacpp import LlamaCppChatModel, default_gguf_path

__all__ = [
    "DEFAULT_OLLAMA_URL",
    "LlamaCppChatModel",
    "backend_name",
    "build_chat_model",
    "classify_failure",
    "default_gguf_path",
]
