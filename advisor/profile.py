"""The team profile: what the advisor knows about a team. `None` always means "not said"."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, Field

Platform = Literal["databricks", "aws", "azure", "gcp"]
CoreTool = Literal["mlflow", "kubeflow", "wandb"]
# the three tools the article compares and the engine scores, in one place (corpus/tools.yaml gives them
# role: core; a test checks the two agree)
CORE_TOOLS: tuple[str, ...] = get_args(CoreTool)


# Each fact as a sentence names it ("I understood team size as 12"); the one home of these names.
TITLES = {
    "team_size": "team size", "k8s_engineers": "engineers with production Kubernetes experience",
    "platform_engineers": "platform / DevOps engineers", "maturity": "maturity level",
    "regulated": "regulated industry", "data_on_prem": "data must stay on-premises",
    "private_cloud_ok": "a private cloud deployment is acceptable", "llm_first": "mainly LLM / generative-AI work",
    "serves_large_models": "serves large models at scale", "needs_orchestration": "needs pipeline orchestration",
    "needs_dashboards": "needs stakeholder dashboards", "seat_price_sensitive": "per-seat pricing is a concern",
    "time_pressure": "needs results in days", "lock_in_averse": "worried about vendor lock-in",
    "hybrid_cloud": "hybrid cloud", "research_split": "separate research and platform teams",
    "platform": "platform", "current_tools": "tools in use",
}


def say_value(value: object) -> str:
    """A fact's value as people read it: yes / no, a list joined, else the value."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


class TeamProfile(BaseModel):
    team_size: int | None = Field(default=None, ge=1, le=100_000, description="People doing ML work.")
    k8s_engineers: int | None = Field(
        default=None, ge=0, le=10_000, description="Engineers with production Kubernetes experience."
    )
    platform_engineers: int | None = Field(
        default=None, ge=0, le=10_000, description="Dedicated platform / DevOps / MLOps engineers."
    )
    maturity: Literal[0, 1, 2] | None = Field(
        default=None,
        description="Google's MLOps maturity: 0 manual, 1 automated training pipelines, 2 CI/CD for ML.",
    )
    regulated: bool | None = Field(default=None, description="Healthcare, finance, insurance or similar.")
    data_on_prem: bool | None = Field(default=None, description="Data must stay on-premises / in-boundary.")
    private_cloud_ok: bool | None = Field(
        default=None, description="A private cloud / VPC deployment of a SaaS tool is acceptable."
    )
    llm_first: bool | None = Field(default=None, description="Primarily builds LLM / generative-AI apps.")
    serves_large_models: bool | None = Field(default=None, description="Serves large models at scale.")
    needs_orchestration: bool | None = Field(default=None, description="Needs ML pipeline orchestration.")
    needs_dashboards: bool | None = Field(
        default=None, description="Stakeholder dashboards and collaborative reporting are a requirement."
    )
    seat_price_sensitive: bool | None = Field(
        default=None, description="Per-seat SaaS pricing is a concern / budget is constrained."
    )
    time_pressure: bool | None = Field(default=None, description="Must show results in days, not weeks.")
    lock_in_averse: bool | None = Field(default=None, description="Vendor lock-in / portability is a concern.")
    hybrid_cloud: bool | None = Field(default=None, description="Workloads span on-premises and public cloud.")
    research_split: bool | None = Field(
        default=None, description="Distinct research and platform engineering functions (the bridge pattern)."
    )
    platform: Platform | None = Field(default=None, description="Existing data / cloud platform.")
    current_tools: list[CoreTool] = Field(default_factory=list, description="Tools the team already uses.")

    @classmethod
    def title(cls, field: str) -> str:
        """A field's name as people say it ("team size")."""
        return TITLES.get(field, field)

    def known(self) -> dict[str, object]:
        """The facts that were actually stated."""
        return {k: v for k, v in self.model_dump().items() if v not in (None, [])}

    def merged(self, newer: TeamProfile) -> TeamProfile:
        """This profile updated with every fact `newer` states (later statements win)."""
        data = self.model_dump()
        for key, value in newer.known().items():
            if key == "current_tools":
                value = list(dict.fromkeys([*data[key], *value]))
            data[key] = value
        return TeamProfile.model_validate(data)
