"""The team profile: what the advisor knows about a team. `None` always means "not said"."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Platform = Literal["databricks", "aws", "azure", "gcp"]
CoreTool = Literal["mlflow", "kubeflow", "wandb"]


class TeamProfile(BaseModel):
    team_size: int | None = Field(title="team size", default=None, ge=1, le=100_000, description="People doing ML work.")
    k8s_engineers: int | None = Field(
        title="engineers with production Kubernetes experience", default=None, ge=0, le=10_000, description="Engineers with production Kubernetes experience."
    )
    platform_engineers: int | None = Field(
        title="platform / DevOps engineers", default=None, ge=0, le=10_000, description="Dedicated platform / DevOps / MLOps engineers."
    )
    maturity: Literal[0, 1, 2] | None = Field(
        title="maturity level", default=None,
        description="Google's MLOps maturity: 0 manual, 1 automated training pipelines, 2 CI/CD for ML.",
    )
    regulated: bool | None = Field(title="regulated industry", default=None, description="Healthcare, finance, insurance or similar.")
    data_on_prem: bool | None = Field(title="data must stay on-premises", default=None, description="Data must stay on-premises / in-boundary.")
    private_cloud_ok: bool | None = Field(
        title="a private cloud deployment is acceptable", default=None, description="A private cloud / VPC deployment of a SaaS tool is acceptable."
    )
    llm_first: bool | None = Field(title="mainly LLM / generative-AI work", default=None, description="Primarily builds LLM / generative-AI apps.")
    serves_large_models: bool | None = Field(title="serves large models at scale", default=None, description="Serves large models at scale.")
    needs_orchestration: bool | None = Field(title="needs pipeline orchestration", default=None, description="Needs ML pipeline orchestration.")
    needs_dashboards: bool | None = Field(
        title="needs stakeholder dashboards", default=None, description="Stakeholder dashboards and collaborative reporting are a requirement."
    )
    seat_price_sensitive: bool | None = Field(
        title="per-seat pricing is a concern", default=None, description="Per-seat SaaS pricing is a concern / budget is constrained."
    )
    time_pressure: bool | None = Field(title="needs results in days", default=None, description="Must show results in days, not weeks.")
    lock_in_averse: bool | None = Field(title="worried about vendor lock-in", default=None, description="Vendor lock-in / portability is a concern.")
    hybrid_cloud: bool | None = Field(title="hybrid cloud", default=None, description="Workloads span on-premises and public cloud.")
    research_split: bool | None = Field(
        title="separate research and platform teams", default=None, description="Distinct research and platform engineering functions (the bridge pattern)."
    )
    platform: Platform | None = Field(title="platform", default=None, description="Existing data / cloud platform.")
    current_tools: list[CoreTool] = Field(title="tools in use", default_factory=list, description="Tools the team already uses.")

    @classmethod
    def title(cls, field: str) -> str:
        """A field's name as people say it ("team size")."""
        info = cls.model_fields.get(field)
        return (info.title if info is not None and info.title else field).strip()

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
