"""Budgets (Observability > Budgets), the cost of a compartment by day and the audit trail of any resource.

Budgets are in the root compartment (listed under it): each shows its amount, the actual and forecast spend of
the month, and how much of the amount is spent (red past 100 %). Create asks a name, the compartment whose
spend it tracks and a monthly amount (a positive number: a negative one is refused at the field, as OCI
refuses it); *Add alert rule…* asks ACTUAL or FORECAST, a percentage or amount, recipients and a message.

Compartments get "Cost by day (14 days)" per service and "Audit trail (24 h)" in Related
(`add_audit_related`); `audit_trail` is one resource's (the Governance menu's Audit view shows either, with
filters).
"""

from __future__ import annotations

import re

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import cost as svc
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr

M = sdk_models("budget")
REF = SdkRef("budget", "budget", cli="budgets budget budget")
EMAIL_RE = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")


def money(v) -> str:
    return "" if v is None else f"${float(v):,.2f}"


def share_text(b) -> str:
    s = svc.spent_share(b)
    return "" if s is None else f"{s * 100:.0f} %"


def share_tone(text: str) -> str | None:
    """Red past the whole amount, amber past 80 %."""
    if not text:
        return None
    pct = float(text.split()[0])
    return "bad" if pct >= 100 else "busy" if pct >= 80 else None


def check_amount(v, *_a) -> str | None:
    try:
        amount = float(v)
    except (TypeError, ValueError):
        return "A number of US dollars per month"
    if amount <= 0:
        return "The amount must be a positive number of US dollars"
    return None


def _build(v: dict, ctx: FormContext) -> Request:
    details = M.CreateBudgetDetails(
        compartment_id=ctx.tenancy_id,
        display_name=(v.get("display_name") or "").strip() or None,
        description=(v.get("description") or "").strip() or None, amount=float(v["amount"]),
        reset_period="MONTHLY", target_type="COMPARTMENT", targets=[v["target"]])
    return Request("budget", "create_budget", details)


def _cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command(f"{REF.cli} create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name), ("--amount", d.amount),
        ("--reset-period", "MONTHLY"), ("--target-type", "COMPARTMENT"), ("--targets", d.targets),
        ("--description", d.description)])


BUDGET_FORM = FormSpec(
    title=N_("Create budget"), kind_id="cost.budget",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, placeholder=N_("sandbox-monthly"),
              validate=lambda v, *_: None if v and re.fullmatch(r"[A-Za-z0-9_-]{1,255}", v.strip())
              else "Letters, digits, '-' and '_'"),
        Field("target", N_("Compartment to track"), "compartment", required=True,
              help=N_("The spend of this compartment and its subcompartments")),
        Field("amount", N_("Monthly amount (USD)"), "text", required=True, placeholder=N_("100"),
              validate=check_amount),
        Field("description", N_("Description"), "textarea"),
    ],
    build=_build, cli=_cli, describe=lambda v: (v.get("display_name") or "").strip())


def alert_rule_form(budget) -> FormSpec:
    def check_threshold(v, values, *_a) -> str | None:
        try:
            t = float(v)
        except (TypeError, ValueError):
            return "A number"
        if t <= 0:
            return "The threshold must be positive"
        if values.get("threshold_type") == "PERCENTAGE" and t > 10000:
            return "At most 10,000 %"
        return None

    def check_recipients(v, *_a) -> str | None:
        bad = [r for r in (x.strip() for x in (v or "").split(",")) if r and not EMAIL_RE.match(r)]
        return f"'{bad[0]}' is not an e-mail address" if bad else None

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("budget", "create_alert_rule", M.CreateAlertRuleDetails(
            type=v["type"], threshold=float(v["threshold"]), threshold_type=v["threshold_type"],
            recipients=(v.get("recipients") or "").strip() or None, message=(v.get("message") or "").strip() or None,
            display_name=None), args=(budget.id,))

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("budgets budget alert-rule create", [
            ("--budget-id", budget.id), ("--type", d.type), ("--threshold", d.threshold),
            ("--threshold-type", d.threshold_type), ("--recipients", d.recipients), ("--message", d.message)])

    return FormSpec(
        title=f"Add an alert rule to {budget.display_name}", kind_id="cost.budget",
        fields=[
            Field("type", N_("Spend"), "enum", required=True, default="ACTUAL",
                  options=[Option("ACTUAL", N_("Actual spend")), Option("FORECAST", N_("Forecast spend"))]),
            Field("threshold_type", N_("Threshold in"), "enum", required=True, default="PERCENTAGE",
                  options=[Option("PERCENTAGE", N_("% of the budget")), Option("ABSOLUTE", N_("US dollars"))]),
            Field("threshold", N_("Threshold"), "text", required=True, default="80", validate=check_threshold,
                  depends_on=("threshold_type",)),
            Field("recipients", N_("E-mail recipients"), "text", placeholder=N_("ops@example.com, cfo@example.com"),
                  validate=check_recipients),
            Field("message", N_("Message"), "textarea"),
        ],
        build=build, cli=cli, describe=lambda _v: budget.display_name, submit_label=N_("Add alert rule"),
        op_title=lambda v: f"Add a {v.get('threshold')} alert rule to {budget.display_name}")


def edit_form(budget) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("budget", "update_budget", M.UpdateBudgetDetails(
            display_name=(v.get("display_name") or "").strip() or None, amount=float(v["amount"]),
            description=(v.get("description") or "").strip() or None), args=(budget.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command(f"{REF.cli} update", [("--budget-id", budget.id), ("--display-name", d.display_name),
                                                 ("--amount", d.amount), ("--description", d.description)])

    return FormSpec(
        title=f"Edit budget {budget.display_name}", kind_id="cost.budget",
        fields=[
            Field("display_name", N_("Name"), "text", required=True, default=budget.display_name,
                  validate=BUDGET_FORM.field("display_name").validate),
            Field("amount", N_("Monthly amount (USD)"), "text", required=True, default=f"{budget.amount:g}",
                  validate=check_amount),
            Field("description", N_("Description"), "textarea", default=budget.description or ""),
        ],
        build=build, cli=cli, describe=lambda v: budget.display_name, submit_label=N_("Save"),
        op_title=lambda v: f"Edit budget {budget.display_name}")


async def no_run(session, res, options):
    return None


async def _rules(session, budget) -> list[RelatedItem]:
    out = []
    for r in await svc.alert_rules(session, budget.id):
        limit = f"{r.threshold:g} %" if r.threshold_type == "PERCENTAGE" else money(r.threshold)
        out.append(RelatedItem(r.display_name or "alert rule",
                               f"{r.type.lower()} spend reaches {limit} → {r.recipients or 'no recipients'}"))
    return out


BUDGETS = ResourceKind(
    id="cost.budget", label=N_("Budgets"), singular=N_("Budget"), group=N_("Observability"), icon="report", order=5,
    scope="tenancy", list=svc.list_budgets, get=svc.get_budget, ocid_types=("budget",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=180),
        Column(N_("Amount"), lambda b: money(b.amount), width=90),
        Column(N_("Actual spend"), lambda b: money(b.actual_spend), width=100),
        Column(N_("Spent"), share_text, width=70, tone=lambda v: share_tone(v)),
        Column(N_("Forecast"), lambda b: money(b.forecasted_spend), width=100),
        Column(N_("Alert rules"), attr("alert_rule_count"), "number", width=80),
        Column(N_("Target"), lambda b: ", ".join(b.targets or []), "ocid", width=260),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    actions=[
        Action("edit", N_("Edit…"), no_run, frozenset({"ACTIVE"}), form=edit_form, icon="edit", verb=N_("Editing"),
               target_states=frozenset({"ACTIVE"})),
        Action("alert_rule", N_("Add alert rule…"), no_run, frozenset({"ACTIVE"}), form=alert_rule_form,
               icon="alarm", verb=N_("Adding alert rule"), target_states=frozenset({"ACTIVE"})),
        delete_action(REF, frozenset({"ACTIVE", "INACTIVE"})),
    ],
    related=[Related(N_("Alert rules"), _rules)],
    create=BUDGET_FORM, ready_states=frozenset({"ACTIVE"}), movable=False,
)


# ---------------------------------------------------------------- audit trail and cost (related lists)

async def audit_trail(session, res) -> list[RelatedItem]:
    comp = getattr(res, "compartment_id", None) or session.tenancy_id
    rows = svc.filter_events(await svc.audit_events(session, comp), resource_id=res.id)
    return [RelatedItem(f"{r.time:%Y-%m-%d %H:%M:%S} {r.operation}",
                        f"{r.status} · {r.user} · {r.ip}") for r in rows[:200]]


async def compartment_trail(session, comp) -> list[RelatedItem]:
    rows = await svc.audit_events(session, comp.id)
    return [RelatedItem(f"{r.time:%Y-%m-%d %H:%M:%S} {r.operation}",
                        f"{r.status} · {r.user} · {r.resource}") for r in rows[:200]]


async def cost_by_day(session, comp) -> list[RelatedItem]:
    c = await svc.cost_by_day(session, comp.id)
    out = [RelatedItem("Total (14 days)", money(c.total()))]
    totals = c.day_totals()
    for i in range(len(c.days) - 1, -1, -1):
        if totals[i] <= 0:
            continue
        parts = ", ".join(f"{s} {money(c.amounts[s][i])}" for s in c.services if c.amounts[s][i] >= 0.005)
        out.append(RelatedItem(f"{c.days[i]:%a %d %b}", f"{money(totals[i])} ({parts})"))
    return out


def add_audit_related(kinds: list[ResourceKind]) -> None:
    """Give compartments their cost by day and audit trail in Related (any other resource's audit trail is the
    Governance menu's Audit view, filtered to the selection). Both are read when the Related tab is looked at,
    not on every selection of a compartment (`Related.when_shown`)."""
    for k in kinds:
        if k.id == "identity.compartment" and not any(r.label.startswith("Cost by day") for r in k.related):
            k.related.append(Related(N_("Cost by day (14 days)"), cost_by_day, when_shown=True))
            k.related.append(Related(N_("Audit trail (24 h)"), compartment_trail, when_shown=True))


KINDS = [BUDGETS]
