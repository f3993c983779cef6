"""IDOR probe (issue 11): every URL pattern and API route that takes an object key, tried with objects that
belong to someone else.

How the probe decides what "someone else's object" is, per route:
  * the model: from the view's own `get_object_or_404_for(<policy>, …, <key>=<param>)` call (the policy's
    model), else from the URL segment before the parameter (`projects/<pk>` → a model named Project in the
    view's app);
  * the owner: each row's foreign keys are followed two steps to the Organisations, Regions, People and
    Users it reaches. A row is foreign to an enterprise user when it reaches organisations but not theirs;
    to district staff when it reaches 张店区 and nothing of 周村区; to an expert/commissioner when it
    reaches no Person/User of theirs.
Then GET the URL as that user and POST an empty form to it: a GET 200 is a leak (except a published record,
public by design, or a shared catalogue, SHARED_CATALOGUE); a POST is a leak when it changed the object's
row, wrote an audit event about it, or answered 200 where the GET was refused. Every route and API operation
keyed by an Organisation is also tried by the enterprise user on its own organisation with a body that
renames, re-codes, re-kinds and moves it (`probe_own_identity`): any change to those fields is a leak.
Limits are listed in docs/security.md.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ZHANGDIAN = "370000/370300/370303/"
ZHOUCUN = "370000/370300/370306/"

# Routes whose whole point is anonymous access to published records (they have their own "published"
# filter in the policy; that is tested by the module). Not an IDOR surface for the parties here.
PUBLIC_BY_DESIGN = {
    "portal:notice_detail",
    "portal:notice_file",
    "programmes:public_publicity_detail",
    "programmes:public_call_detail",
    "programmes:public_call_file",
    "platforms:public_detail",
    "achievements:public_detail",
    "agritech:public_card",
    "agritech:public_card_photo",
}
# Routes that show one catalogue shared by every district of the instance, by design, to the parties here:
# reading them is not a leak (changing them still is: a POST that writes an audit event is reported).
# (None today: the voucher provider registry, shared until issue 25, is now each bureau's own.)
SHARED_CATALOGUE: set[str] = set()
# Non-object parameters: a plausible value so the view reaches its object lookup.
FILLERS = {
    "field": "id_number",
    "year": "2020",
    "fmt": "docx",
    "action": "submit",
    "decision": "approve",
    "kind": "achievement",
}
# Routes that serve (or remove) one file of a record, `…/<pk>/files/<uid>/`: the probe requests a real file of
# the foreign record, found by the same function the view lists the record's files with (issue 23).
FILE_ROUTES = {
    "programmes:application_file": "kechuang.programmes.selectors.application_files",
    "programmes:application_file_remove": "kechuang.programmes.selectors.application_files",
    "programmes:objection_file": "kechuang.programmes.selectors.objection_files",
    "programmes:call_guide_remove": "kechuang.programmes.selectors.call_guide_files",
    "programmes:review_sheet": "kechuang.programmes.selectors.assignment_sheet_files",
    "projects:project_file": "kechuang.projects.selectors.project_files",
    "vouchers:redemption_file": "kechuang.vouchers.selectors.redemption_files",
    "vouchers:provider_invoice_file": "kechuang.vouchers.selectors.provider_invoice_files",
    "projects:finding_file": lambda finding: finding.evidence.all(),  # as the view lists them
}
# Parameter names that name a model outside the view's app.
ALIASES = {"org": "core.Organisation", "organisation": "core.Organisation", "person": "core.Person"}
CALL = re.compile(r"get_object_or_404_for\(\s*([\w.]+)\s*,")
RECORD_FILE = re.compile(r"record_file\(\s*request,\s*policy=([\w.]+),\s*pk=pk")


@dataclass
class Route:
    name: str
    route: str
    params: dict[str, str]  # name -> converter class name
    callback: object
    model: type[models.Model] | None = None
    key: str | None = None  # the parameter that carries the object key


@dataclass
class Findings:
    leaks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    probed: int = 0
    files_probed: int = 0  # requests for a real file of a foreign record (FILE_ROUTES)
    file_parties: dict[str, set[str]] = field(default_factory=dict)  # file route → parties that asked for one
    routes: int = 0
    own_identity_routes: int = 0
    not_covered: list[str] = field(default_factory=list)


def walk(patterns=None, prefix="", ns=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            n = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from walk(p.url_patterns, prefix + str(p.pattern), n)
        elif isinstance(p, URLPattern) and p.name:
            converters = getattr(p.pattern, "converters", {})
            yield Route(
                name=f"{ns}:{p.name}" if ns else p.name,
                route=prefix + str(p.pattern),
                params={k: type(v).__name__ for k, v in converters.items()},
                callback=p.callback,
            )


def _app_models(module_name: str):
    label = module_name.split(".")[1] if module_name.startswith("kechuang.") else ""
    try:
        return list(apps.get_app_config(label).get_models())
    except LookupError:
        return []


def _norm(word: str) -> str:
    return re.sub(r"[-_]", "", word.lower())


def infer_model(route: Route) -> None:
    func = inspect.unwrap(route.callback)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        source = ""
    module = inspect.getmodule(func)
    for match in CALL.finditer(source):
        expr = match.group(1)
        rest = source[match.end() : match.end() + 300].split("get_object_or_404_for")[0]
        key = next((p for p in route.params if re.search(rf"=\s*{p}\b", rest)), None)
        if key is None:
            continue
        obj = module
        for part in expr.split("."):
            obj = getattr(obj, part, None)
        model = getattr(obj, "model", None)
        if isinstance(model, type) and issubclass(model, models.Model):
            route.model, route.key = model, key
            return
    # A file route: `files.record_file(request, policy=<policy>, pk=pk, …)` names the record's policy.
    for match in RECORD_FILE.finditer(source):
        obj = module
        for part in match.group(1).split("."):
            obj = getattr(obj, part, None)
        model = getattr(obj, "model", None)
        if isinstance(model, type) and issubclass(model, models.Model) and "pk" in route.params:
            route.model, route.key = model, "pk"
            return
    # Fallback: the URL segment just before the first object parameter names the model.
    for pname, conv in route.params.items():
        if conv not in ("IntConverter", "UUIDConverter") or pname in FILLERS:
            continue
        before = route.route.split(f"<{conv.replace('Converter', '').lower()}:{pname}>")[0].strip("/")
        segment = _norm(before.rsplit("/", 1)[-1]) if before else ""
        candidates = _app_models(func.__module__)
        alias = ALIASES.get(re.sub(r"_(pk|id)$", "", pname))
        if alias:
            route.model, route.key = apps.get_model(alias), pname
            return
        singular = re.sub(r"ies$", "y", segment) if segment.endswith("ies") else re.sub(r"e?s$", "", segment)
        for test in (
            lambda n, singular=singular, segment=segment: n in (segment, singular),
            lambda n, singular=singular: n.endswith(singular),
            lambda n, singular=singular: singular in n,
        ):
            matches = [m for m in candidates if singular and test(m._meta.model_name)]
            if len(matches) == 1:
                route.model, route.key = matches[0], pname
                return
        if segment == "" and candidates:  # the app's root object: projects/<pk>/, platforms/<pk>/
            app_label = candidates[0]._meta.app_label
            for model in candidates:
                if _norm(model._meta.model_name) in (app_label.rstrip("s"), _norm(app_label)):
                    route.model, route.key = model, pname
                    return


# --- ownership ---------------------------------------------------------------------------------------


@dataclass
class Reach:
    orgs: set = field(default_factory=set)
    regions: set = field(default_factory=set)
    people: set = field(default_factory=set)
    users: set = field(default_factory=set)

    def add(self, other: Reach) -> None:
        self.orgs |= other.orgs
        self.regions |= other.regions
        self.people |= other.people
        self.users |= other.users


def reach(obj, depth: int = 3, memo: dict | None = None) -> Reach:
    """The Organisations, Region paths, People and Users `obj` reaches through its foreign keys (and its
    many-to-many fields, 20 rows each), `depth` steps deep. `memo` keeps each (row, depth) already followed:
    the rows of a probe point at the same firms, regions and people over and over."""
    from kechuang.accounts.models import User
    from kechuang.core.models import Organisation, Person, Region

    memo = {} if memo is None else memo
    key = (obj._meta.label, obj.pk, depth)
    if key in memo:
        return memo[key]
    out = memo[key] = Reach()
    if isinstance(obj, Organisation):
        out.orgs.add(obj.pk)
        if obj.region_id:
            out.regions.add(obj.region.path)
    elif isinstance(obj, Region):
        out.regions.add(obj.path)
        return out
    elif isinstance(obj, Person):
        out.people.add(obj.pk)
    elif isinstance(obj, User):
        out.users.add(obj.pk)
        return out
    if depth == 0:
        return out
    for f in obj._meta.concrete_fields:
        if f.is_relation and (f.many_to_one or f.one_to_one):
            pk = getattr(obj, f.attname, None)
            if pk is None:
                continue
            known = (f.related_model._meta.label, pk, depth - 1) if f.target_field.primary_key else None
            if known in memo:
                out.add(memo[known])
                continue
            target = getattr(obj, f.name, None)
            if target is not None:
                out.add(reach(target, depth - 1, memo))
    for f in obj._meta.many_to_many:  # e.g. a provider's commissioners: they legitimately see its requests
        for target in getattr(obj, f.name).all()[:20]:
            out.add(reach(target, depth - 1, memo))
    return out


def foreign_to(party: str, obj, ctx) -> bool:
    # What rows reach is followed once per party's probe (many routes share a model, many rows the same
    # firms and people; the probe changes no foreign key: a request that did would be a leak, reported).
    r = reach(obj, memo=ctx.setdefault("reach_memo", {}))
    if party in ("enterprise", "provider"):  # a provider's user is its organisation's user (ADR 0028)
        return bool(r.orgs) and ctx["org"].pk not in r.orgs and ctx["user"].pk not in r.users
    if party in ("staff", "staff_zhangdian"):  # 周村区 staff with 张店区 records, and the other way round
        home, other = (ZHOUCUN, ZHANGDIAN) if party == "staff" else (ZHANGDIAN, ZHOUCUN)
        return (
            ctx["user"].pk not in r.users
            and any(p.startswith(other) for p in r.regions)
            and not any(p.startswith(home) for p in r.regions)
        )
    # expert / commissioner: nothing of theirs
    return ctx["person"].pk not in r.people and ctx["user"].pk not in r.users


def foreign_rows(model, party, ctx, limit=2):
    """The newest `limit` rows of `model` foreign to `party`, among its 150 newest rows."""
    rows = []
    for obj in model._default_manager.order_by("-pk")[:150]:
        if foreign_to(party, obj, ctx):
            rows.append(obj)
            if len(rows) == limit:
                break
    return rows


# --- probing -----------------------------------------------------------------------------------------


def files_of(route: Route):
    from django.utils.module_loading import import_string

    found = FILE_ROUTES.get(route.name)
    return import_string(found) if isinstance(found, str) else found


def rows_to_probe(route: Route, party: str, ctx) -> list:
    """Foreign rows; for a file route, foreign rows that hold a file (else the probe would ask for nothing)."""
    lister = files_of(route)
    if lister is None:
        return foreign_rows(route.model, party, ctx)
    rows = []
    for obj in route.model._default_manager.order_by("-pk")[:300]:
        if foreign_to(party, obj, ctx) and lister(obj).exists():
            rows.append(obj)
            if len(rows) == 2:
                break
    return rows


def _kwargs(route: Route, obj) -> dict | None:
    kwargs = {}
    lister = files_of(route)
    for pname, conv in route.params.items():
        if pname == "uid" and lister is not None and pname != route.key:
            kwargs[pname] = str(lister(obj).values_list("uid", flat=True)[0])
        elif pname == route.key:
            kwargs[pname] = str(
                obj.uid
                if conv == "UUIDConverter" and hasattr(obj, "uid")
                else getattr(obj, "token", obj.pk)
                if conv == "UUIDConverter"
                else obj.pk
            )
        elif pname in FILLERS:
            kwargs[pname] = FILLERS[pname]
        elif conv == "IntConverter":
            kwargs[pname] = "1"
        else:
            return None
    return kwargs


def row_state(obj) -> dict | None:
    """The stored row of `obj` (None once deleted): a POST that changes it wrote, audited or not."""
    return type(obj)._default_manager.filter(pk=obj.pk).values().first()


def audit_mark() -> int:
    from kechuang.core.models import AuditEvent

    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def wrote_about(obj, since: int) -> bool:
    from kechuang.core.models import AuditEvent

    return AuditEvent.objects.filter(
        pk__gt=since, object_id=str(obj.pk), object_type=obj._meta.label_lower
    ).exists()


def probe(route: Route, party: str, ctx, findings: Findings) -> None:
    """GET the route with a foreign object, then POST an empty form to it (every route: an edit or
    transition page must refuse a foreign object before it reads the form). A GET 200 is a leak unless the
    record is public; a POST is a leak when it changed the row, wrote an audit event about it, or answered
    200 where the GET was refused."""
    client: Client = ctx["client"]
    rows = rows_to_probe(route, party, ctx)
    if not rows and route.name in FILE_ROUTES:
        findings.not_covered.append(f"{route.name}: no foreign record with a file for {party}")
    for obj in rows:
        kwargs = _kwargs(route, obj)
        if kwargs is None:
            findings.not_covered.append(f"{route.name}: parameter values unknown")
            return
        url = reverse(route.name, kwargs=kwargs)
        findings.probed += 1
        findings.files_probed += route.name in FILE_ROUTES
        if route.name in FILE_ROUTES:
            findings.file_parties.setdefault(route.name, set()).add(party)
        response = client.get(url)
        public = route.name in SHARED_CATALOGUE or getattr(obj, "is_published", False) is True
        if response.status_code >= 500:
            findings.errors.append(f"{party} GET {route.name} {url}: {response.status_code}")
        elif response.status_code == 200 and not public:
            findings.leaks.append(
                f"{party} GET {route.name} {url}: 200 for {obj._meta.label} #{obj.pk} ({obj})"
            )
        get_refused = response.status_code != 200
        findings.probed += 1
        before, since = row_state(obj), audit_mark()
        response = client.post(url, {})
        if wrote_about(obj, since) or row_state(obj) != before:
            findings.leaks.append(f"{party} POST {route.name} {url}: wrote to {obj._meta.label} #{obj.pk}")
        elif response.status_code >= 500:
            findings.errors.append(f"{party} POST {route.name} {url}: {response.status_code}")
        elif response.status_code == 200 and get_refused and not public:
            findings.leaks.append(
                f"{party} POST {route.name} {url}: 200 for {obj._meta.label} #{obj.pk} ({obj})"
            )


# The identity of an organisation: only bureau staff correct it (issue 25).
IDENTITY_FIELDS = ("name", "credit_code", "kind", "region_id", "legal_representative")


def identity_payload(org, zhangdian) -> dict:
    """A valid form or JSON body that tries to rename, re-code, re-kind and move `org` to 张店区."""
    from kechuang.core.rules import make_credit_code

    return {
        "version": org.version,
        "name": org.name + "（改）",
        "credit_code": make_credit_code("9", "1", "370303", f"9{org.pk % 10_000_000:07d}"),
        "kind": "enterprise" if org.kind != "enterprise" else "institute",
        "region": zhangdian.pk,
        "region_id": zhangdian.pk,
        "region_code": "370303",
        "legal_representative": "冒名顶替",
        "address": org.address or "地址",
        "contact_name": org.contact_name or "联系人",
        "contact_phone": org.contact_phone or "0533-6180000",
        "in_city": "on",
    }


def probe_own_identity(route: Route, ctx, findings: Findings) -> None:
    """As an enterprise user, POST identity changes to a route keyed by its own organisation."""
    from kechuang.core.models import Organisation, Region

    org = ctx["org"]
    kwargs = _kwargs(route, org)
    if kwargs is None:
        return
    url = reverse(route.name, kwargs=kwargs)
    before = Organisation.objects.filter(pk=org.pk).values(*IDENTITY_FIELDS).get()
    findings.probed += 1
    response = ctx["client"].post(url, identity_payload(org, Region.objects.get(code="370303")))
    after = Organisation.objects.filter(pk=org.pk).values(*IDENTITY_FIELDS).get()
    if after != before:
        changed = sorted(k for k in before if before[k] != after[k])
        findings.leaks.append(f"enterprise POST {route.name} {url}: changed its own {', '.join(changed)}")
    elif response.status_code >= 500:
        findings.errors.append(f"enterprise POST {route.name} {url}: {response.status_code}")


def make_foreign_objects(keep_orgs=()):
    """Move the two newest rows of every model that points at an Organisation or a Region to 张店区, so
    each module has objects in another district (queryset.update: no service side effects needed)."""
    from django.db import IntegrityError, transaction

    from kechuang.core.models import AuditEvent, Organisation, Region

    zhangdian = Region.objects.get(code="370303")
    keep_orgs = list(keep_orgs)
    firm = Organisation.objects.create(
        name="淄博张店测试科技有限公司", kind=Organisation.Kind.ENTERPRISE, region=zhangdian
    )
    for model in apps.get_models():
        if (
            not model.__module__.startswith("kechuang.")
            or model in (Region, AuditEvent)
            or model._meta.label == "accounts.User"
        ):
            continue
        fks = {
            f.attname: (zhangdian.pk if f.related_model is Region else firm.pk)
            for f in model._meta.concrete_fields
            if f.many_to_one and f.related_model in (Region, Organisation)
        }
        if not fks:
            continue
        if model is Organisation:
            fks = {"region_id": zhangdian.pk}
        moved = 0
        for pk in (
            model._default_manager.exclude(pk__in=keep_orgs if model is Organisation else [])
            .order_by("-pk")
            .values_list("pk", flat=True)[:10]
        ):
            try:
                with transaction.atomic():  # a unique constraint may refuse the move: try the next row
                    model._default_manager.filter(pk=pk).update(**fks)
            except IntegrityError:
                continue
            moved += 1
            if moved == 2:
                break
    return firm
