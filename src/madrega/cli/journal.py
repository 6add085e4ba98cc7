"""`madrega step|skip|today|progress|hitbodedut|plan|journal|config`: the practice face of the journal."""

from __future__ import annotations

import os
import shlex
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from madrega.cli.app import DB_OPTION_HELP, app, console, err_console, open_db, print_json
from madrega.cli.practice_view import building_text, render_heatmap
from madrega.errors import MadregaError
from madrega.practice import calendar, cycles, journal, plans, progress, timers, today, transfer
from madrega.practice.words import plural

DbOption = Annotated[Path | None, typer.Option("--db", help=DB_OPTION_HELP)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]

step_app = typer.Typer(
    help="Record a step (study, prayer, hitbodedut, kindness, tzedakah, mitzvah, …).", no_args_is_help=True
)
timer_app = typer.Typer(
    help="A hitbodedut timer that records the session however it ends.", no_args_is_help=True
)
plan_app = typer.Typer(help="Personal study plans divided into daily portions.", no_args_is_help=True)
journal_app = typer.Typer(help="The journal's log: export, import, backup, check.", no_args_is_help=True)
skip_app = typer.Typer(
    help="Days you could not practise (illness, travel): they freeze your strength, as Shabbat does.",
    no_args_is_help=True,
)
config_app = typer.Typer(
    help="Where you keep the Hebrew day: location, time zone, nightfall hour, Israel.", no_args_is_help=True
)
app.add_typer(step_app, name="step")
app.add_typer(skip_app, name="skip")
app.add_typer(timer_app, name="hitbodedut")
app.add_typer(plan_app, name="plan")
app.add_typer(journal_app, name="journal")
app.add_typer(config_app, name="config")


def _parse_at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise MadregaError(f"'{text}' is not a time: use ISO form, e.g. 2025-03-01T08:30+02:00") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the computer's zone, as a person means it
    return moment


def _clock_now() -> datetime:
    return calendar.SYSTEM_CLOCK.now()


def _parse_day(conn: Any, text: str | None) -> Any:
    if text is None:
        return None
    where = calendar.place(conn)
    return calendar.parse_day(text, calendar.hebrew_day_at(where, _clock_now()), where.israel)


def _print_steps(steps: list[journal.Step]) -> None:
    table = Table(show_header=True, header_style="bold")
    for column in ("id", "when", "time", "step", "note"):
        table.add_column(column)
    for s in steps:
        table.add_row(
            s.uid[:8], s.when(year=True), s.local_time or "", escape(s.summary()), escape(s.note or ""),
            style=progress.color_of(s.kind),
        )  # fmt: skip
    console.print(table)


# ---------------------------------------------------------------- step


@step_app.command("add")
def step_add(
    kind: Annotated[
        str, typer.Argument(help="study, prayer, hitbodedut, kindness, tzedakah, mitzvah, or yours")
    ],
    ref: Annotated[
        str | None, typer.Argument(help="What you studied, e.g. 'Tanya, Iggeret HaTeshuvah 10'")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A private note (shared only with --shared).")] = None,
    shared: Annotated[
        bool, typer.Option("--shared", help="Let the note be shared with a community later.")
    ] = False,
    minutes: Annotated[float | None, typer.Option(help="How long it took.")] = None,
    amount: Annotated[float | None, typer.Option(help="Tzedakah amount.")] = None,
    currency: Annotated[str | None, typer.Option(help="Currency code (default ILS).")] = None,
    prayer: Annotated[str | None, typer.Option(help=f"Which prayer: {', '.join(journal.PRAYERS)}.")] = None,
    focus: Annotated[str | None, typer.Option(help="What the prayer focused on.")] = None,
    lesson: Annotated[str | None, typer.Option(help="Slug of an imported lesson you studied.")] = None,
    at: Annotated[str | None, typer.Option(help="When (ISO time; default now).")] = None,
    day: Annotated[
        str | None,
        typer.Option(help="Record it for a day that has passed: YYYY-MM-DD, 'yesterday' or 'shabbat'."),
    ] = None,
    new_kind: Annotated[bool, typer.Option("--new-kind", help="Define KIND as a kind of your own.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record one step (after Havdalah, `--day shabbat` records what you did on Shabbat)."""
    conn = open_db(db)
    step = journal.add_step(
        conn, kind, ref=ref, note=note, shared=shared, minutes=minutes, amount=amount, currency=currency,
        prayer=prayer, focus=focus, lesson=lesson, at=_parse_at(at), day=_parse_day(conn, day),
        now=_clock_now(), new_kind=new_kind,
    )  # fmt: skip
    if as_json:
        print_json(step.to_dict())
        return
    total = journal.count_steps(conn)
    stage, nxt = progress.stage_for(total)
    console.print(
        f"[bold]+1[/] {escape(step.summary())}  [dim]{step.when()} · id {step.uid[:8]}[/]", highlight=False
    )
    if stage and stage.steps == total:
        console.print(f"[bold green]A new stage: {stage.name} · {stage.he}[/]")
    elif nxt:
        console.print(f"[dim]{plural(total, 'step')}; {nxt.steps - total:,} more to {nxt.name}[/]")


@step_app.command("list")
def step_list(
    kind: Annotated[str | None, typer.Option(help="Only this kind.")] = None,
    since: Annotated[str | None, typer.Option(help="From this day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this day (YYYY-MM-DD).")] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=journal.MAX_PAGE, help="How many steps a page holds (the newest first).")
    ] = journal.DEFAULT_PAGE,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many newer steps (the next page back).")] = 0,
    before: Annotated[
        str | None, typer.Option(help="Only steps before the step with this id (a cursor).")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Your steps, a page at a time: the newest page first, each page in time order."""
    page = journal.page_steps(
        open_db(db), kind=kind, since=since, until=until, limit=limit, offset=offset, before=before
    )
    if as_json:
        print_json([s.to_dict() for s in page.steps])
    elif not page.steps and page.total:
        console.print(f"None of the {page.total:,} steps lies this far back (try a smaller --offset).")
    elif not page.steps:
        console.print("No steps here. Record one with `madrega step add study 'Psalms 1'`.")
    else:
        _print_steps(page.steps)
        line = f"steps {page.first:,}–{page.last:,} of {page.total:,}"
        if page.earlier_offset is not None:
            line += f"; earlier: --offset {page.earlier_offset} (or --before {page.steps[0].uid[:8]})"
        err_console.print(f"[dim]{line}[/]", highlight=False)


@step_app.command("correct")
def step_correct(
    uid: Annotated[str, typer.Argument(help="The step's id (or the start of it).")],
    kind: Annotated[str | None, typer.Option(help="A different kind.")] = None,
    ref: Annotated[str | None, typer.Option(help="What was studied.")] = None,
    note: Annotated[str | None, typer.Option()] = None,
    shared: Annotated[bool | None, typer.Option("--shared/--private")] = None,
    minutes: Annotated[float | None, typer.Option()] = None,
    amount: Annotated[float | None, typer.Option()] = None,
    currency: Annotated[str | None, typer.Option()] = None,
    prayer: Annotated[str | None, typer.Option()] = None,
    focus: Annotated[str | None, typer.Option()] = None,
    at: Annotated[str | None, typer.Option(help="The right time (ISO).")] = None,
    day: Annotated[
        str | None, typer.Option(help="The right day: YYYY-MM-DD, 'yesterday', 'shabbat'.")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Correct a step (the journal keeps what it was)."""
    conn = open_db(db)
    step = journal.correct_step(
        conn, uid, kind=kind, ref=ref, note=note, shared=shared, minutes=minutes, amount=amount,
        currency=currency, prayer=prayer, focus=focus, at=_parse_at(at), day=_parse_day(conn, day),
        now=_clock_now(),
    )  # fmt: skip
    if as_json:
        print_json(step.to_dict())
    else:
        console.print(
            f"corrected: {step.summary()}  [dim]{step.when()} · id {step.uid[:8]}[/]", highlight=False
        )


@step_app.command("delete")
def step_delete(
    uid: Annotated[str, typer.Argument(help="The step's id (or the start of it).")],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Remove a step from your building (the log keeps a record that it was removed)."""
    step = journal.delete_step(open_db(db), uid)
    if as_json:
        print_json({"deleted": step.uid})
    else:
        console.print(f"removed: {escape(step.summary())}  [dim]id {step.uid[:8]}[/]")


@step_app.command("kinds")
def step_kinds(as_json: JsonOption = False, db: DbOption = None) -> None:
    """The kinds of step you can record."""
    kinds = journal.known_kinds(open_db(db))
    if as_json:
        print_json(kinds)
    else:
        console.print(", ".join(kinds))


# ---------------------------------------------------------------- today and progress


def _online(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return os.environ.get("MADREGA_OFFLINE", "") in ("", "0")


@app.command("today")
def today_cmd(
    online: Annotated[
        bool | None,
        typer.Option("--online/--offline", help="May ask Sefaria's calendar where a lesson ends."),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The Hebrew date, the day's portion of every cycle you keep (done or not, and what to read),
    the days to catch up, the reviews due in your plans, and what you have done today."""
    conn = open_db(db)
    now = _clock_now()
    timers.recover_timers(conn, now=now)
    t = today.today(conn, now, online=_online(online))
    hello = progress.greeting(conn, now)
    moment = calendar.describe_now(calendar.place(conn), now)
    if as_json:
        print_json({**t.to_dict(), **moment, "greeting": hello})
        return
    if hello:
        console.print(f"[bold green]{hello}[/]\n", highlight=False)
    console.print(f"[bold]{t.hebrew}[/]  {moment['when']}, {moment['local_time']}\n", highlight=False)
    if moment["rest"]:
        console.print(f"[dim]{moment['rest']}: nothing to record until it ends; your strength waits.[/]\n")
    for e in t.cycles:
        mark = "[green]✓[/]" if e.done else "·"
        console.print(
            f"  {mark} {escape(e.portion.name)}: [bold]{escape(e.portion.label)}[/]", highlight=False
        )
        for ref in e.portion.refs:
            console.print(f"      [dim]madrega read {escape(shlex.quote(ref))}[/]", highlight=False)
    if t.catch_up:
        console.print(f"\nTo catch up ({len(t.catch_up)}):")
        for e in t.catch_up:
            console.print(
                f"  · {e.day.isoformat()} {e.portion.name}: {e.portion.label}   "
                f"[dim]madrega cycles done {e.portion.cycle} --day {e.day.isoformat()}[/]",
                highlight=False,
            )
    if t.reviews_due:
        console.print(f"\nReviews due ({len(t.reviews_due)}):")
        for r in t.reviews_due:
            console.print(
                f"  · {r['title']}: {r['ref']} (review {r['pass']}, {r['after_days']} days after the first reading)"
                f"   [dim]madrega plan done {r['plan']} {r['portion']}[/]",
                highlight=False,
            )
    for p in t.plans:
        if p["next"]:
            console.print(
                f"  Plan {p['id']}: {p['title']} ({p['done_count']}/{len(p['portions'])}): [bold]{p['next']['ref']}[/]",
                highlight=False,
            )
        else:
            console.print(f"  Plan {p['id']}: {escape(p['title'])}: complete", highlight=False)
    console.print()
    if t.done:
        console.print(f"Today you took {plural(len(t.done), 'step')}:")
        for s in t.done:
            console.print(f"  [{progress.color_of(s.kind)}]■[/] {escape(s.summary())}", highlight=False)
    else:
        console.print("[dim]No steps yet today.[/]")


cycles_app = typer.Typer(
    help="The daily study cycles: which you keep, and marking a day's portion done.", no_args_is_help=True
)
app.add_typer(cycles_app, name="cycles")


@cycles_app.command("list")
def cycles_list(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Every cycle madrega knows; the ones you keep are marked."""
    kept = cycles.kept(open_db(db))
    rows = [
        {"key": c.key, "name": c.name, "he": c.he, "about": c.about, "kept": c.key in kept}
        for c in cycles.CYCLES.values()
    ]
    if as_json:
        print_json({"kept": list(kept), "cycles": rows})
        return
    for r in rows:
        console.print(
            f"  {'[green]✓[/]' if r['kept'] else ' '} {r['key']:<26} {r['name']} — {r['about']}",
            highlight=False,
        )


@cycles_app.command("keep")
def cycles_keep(
    keys: Annotated[
        str,
        typer.Argument(help="Cycles to keep, e.g. 'chitas, daf_yomi, rambam3' (see `madrega cycles list`)."),
    ],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Choose the cycles Today lists (the rest are still there when you want them)."""
    chosen = cycles.keep(open_db(db), keys)
    if as_json:
        print_json({"kept": list(chosen)})
    else:
        console.print("keeping: " + ", ".join(cycles.CYCLES[k].name for k in chosen))


@cycles_app.command("done")
def cycles_done(
    key: Annotated[str, typer.Argument(help="The cycle, e.g. daf_yomi or tanya.")],
    day: Annotated[str | None, typer.Option(help="The day (YYYY-MM-DD; default today).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Mark a cycle's portion done: records the study (a study step for each ref not yet covered)."""
    when = None
    if day is not None:
        try:
            when = datetime.strptime(day, "%Y-%m-%d").date()
        except ValueError:
            raise MadregaError(f"'{day}' is not a day: use YYYY-MM-DD") from None
    steps = today.mark_cycle_done(open_db(db), key, when)
    if as_json:
        print_json({"recorded": [s.to_dict() for s in steps]})
    elif steps:
        for s in steps:
            console.print(f"[bold]+1[/] {escape(s.summary())}  [dim]id {s.uid[:8]}[/]")
    else:
        console.print("already done")


@app.command("progress")
def progress_cmd(
    days: Annotated[int, typer.Option(min=7, max=3660, help="Days in the heatmap.")] = 84,
    kind: Annotated[str | None, typer.Option(help="Heatmap and strength of one kind.")] = None,
    svg: Annotated[Path | None, typer.Option(help="Also write the building as SVG to this file.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """What you have built: totals, heatmap, strength and your stage (nothing ever resets)."""
    conn = open_db(db)
    now = _clock_now()
    timers.recover_timers(conn, now=now)
    b = progress.building(conn)
    if svg is not None:
        try:
            svg.write_text(progress.building_svg(b), encoding="utf-8")
        except OSError as exc:
            raise MadregaError(f"cannot write {svg}: {exc.strerror or exc}") from None
    if as_json:  # what the API's /api/progress answers too
        print_json(progress.report(conn, now, days=days, kind=kind, built=b))
        return
    data = progress.summary(conn, now)
    today = datetime.fromisoformat(data["today"]).date()
    grid = progress.heat_grid(conn, days=days, today=today, kind=kind)
    hello = progress.greeting(conn, now)
    if hello:
        console.print(f"[bold green]{hello}[/]\n", highlight=False)
    console.print(building_text(b))
    console.print(
        f"[bold]{plural(data['total'], 'step')}[/] on {plural(data['days_active'], 'day')} · "
        f"{plural(round(data['minutes']), 'minute')} · strength [bold]{round(100 * data['strength'])}%[/]"
        + (f" · {plural(data['skipped_days'], 'day')} of rest kept" if data["skipped_days"] else ""),
        highlight=False,
    )
    for name, values in data["by_kind"].items():
        console.print(
            f"  [{progress.color_of(name)}]■[/] {name}: {values['count']:,}"
            + (f" · {plural(round(values['minutes']), 'minute')}" if values["minutes"] else "")
            + f" · strength {round(100 * values['strength'])}%",
            highlight=False,
        )
    console.print()
    console.print(render_heatmap(grid))


# ---------------------------------------------------------------- hitbodedut


class _Interrupted(Exception):
    """SIGTERM or SIGHUP: the terminal closed or the process is asked to end."""


@contextmanager
def _signals_end_session() -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Interrupted(signum)

    previous = {}
    # SIGINT too: a process started in the background (a script's `&`, nohup) inherits Ctrl-C ignored,
    # and Python then installs no KeyboardInterrupt for it; the session must still end recorded.
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        sig = getattr(signal, name, None)
        if sig is not None:
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _say(text: str) -> None:
    """Print, unless the terminal is gone (a closed terminal must not stop the recording)."""
    with suppress(OSError, ValueError):
        console.print(text, highlight=False)


def _run_foreground(
    conn: Any, timer: timers.Timer, note: str | None, ready: str | None = None
) -> journal.Step | None:
    """Count the session in this terminal; `ready` is said once a signal would end it recorded."""
    interval = float(os.environ.get("MADREGA_HEARTBEAT_SECONDS", "15"))
    started = journal.parse_iso(timer.started)
    planned = timer.planned_minutes
    last_beat, last_beat_at = time.monotonic(), started
    live = console.is_terminal
    reason = "completed"
    try:
        with _signals_end_session():
            if ready is not None:
                _say(ready)
            while True:
                now = _clock_now()
                elapsed = (now - started).total_seconds()
                if planned is not None and elapsed >= planned * 60:
                    break
                # A beat every interval of the computer's time, or of the clock's (an injected clock
                # moves when its test says, not with the seconds that pass).
                if (
                    time.monotonic() - last_beat >= interval
                    or (now - last_beat_at).total_seconds() >= interval
                ):
                    timers.heartbeat(conn, timer.uid, now=now)
                    last_beat, last_beat_at = time.monotonic(), now
                if live:
                    shown = planned * 60 - elapsed if planned is not None else elapsed
                    sys.stdout.write(f"\r  {int(shown) // 60:02d}:{int(shown) % 60:02d} ")
                    sys.stdout.flush()
                time.sleep(0.2)
    except (KeyboardInterrupt, _Interrupted):
        reason = "interrupted"
    step = timers.stop_timer(conn, timer.uid, reason=reason, note=note, now=_clock_now())
    if live:
        _say("")
    return step


@timer_app.command("start")
def timer_start(
    minutes: Annotated[
        float | None, typer.Option(min=0.01, max=1440, help="Count down N minutes in this terminal.")
    ] = None,
    foreground: Annotated[bool, typer.Option("--foreground", help="Count up in this terminal.")] = False,
    note: Annotated[str | None, typer.Option(help="A private note for the session.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Start a session. With --minutes (or --foreground) it runs here and records itself at the end,
    on Ctrl-C, or when the terminal closes; otherwise `madrega hitbodedut stop` ends it."""
    conn = open_db(db)
    in_terminal = foreground or minutes is not None
    timer = timers.start_timer(conn, planned_minutes=minutes, foreground=in_terminal, now=_clock_now())
    if not in_terminal:
        if as_json:
            print_json(timer.to_dict())
        else:
            console.print(f"hitbodedut started ({timer.uid[:8]}). `madrega hitbodedut stop` when you finish.")
        return
    ready = None if as_json else "hitbodedut: Ctrl-C ends the session early; it is recorded either way."
    step = _run_foreground(conn, timer, note, ready)
    if as_json:
        print_json(step.to_dict() if step else None)
    elif step:
        _say(f"recorded: {step.summary()}  (id {step.uid[:8]})")


@timer_app.command("stop")
def timer_stop(
    note: Annotated[str | None, typer.Option(help="A private note for the session.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """End the running session and record it."""
    conn = open_db(db)
    now = _clock_now()
    timers.recover_timers(conn, now=now)
    step = timers.stop_timer(conn, note=note, now=now)
    if as_json:
        print_json(step.to_dict() if step else None)
    elif step:
        console.print(f"recorded: {escape(step.summary())}  (id {step.uid[:8]})")
    else:
        console.print("stopped (no time had passed, nothing recorded).")


@timer_app.command("status")
def timer_status(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Is a session running? (Also records sessions whose terminal was closed.)"""
    conn = open_db(db)
    now = _clock_now()
    recovered = timers.recover_timers(conn, now=now)
    running = timers.open_timers(conn)
    if as_json:
        print_json(
            {
                "running": [
                    {**t.to_dict(), "elapsed_minutes": round(t.elapsed_minutes(now), 2)} for t in running
                ],
                "recovered": [s.to_dict() for s in recovered],
            }
        )
        return
    for s in recovered:
        console.print(f"recorded an interrupted session: {escape(s.summary())}")
    if not running:
        console.print("No session is running.")
    for t in running:
        console.print(f"{t.kind} running for {t.elapsed_minutes(now):.1f} min (since {t.started})")


# ---------------------------------------------------------------- plans


def _print_plan(p: plans.Plan, detail: bool) -> None:
    nxt = p.next_portion()
    head = f"[bold]{p.short_id}[/] {p.title}: {len(p.done)}/{len(p.portions)} portions"
    console.print(head + (f"; next: {p.portions[nxt]}" if nxt is not None else "; complete"), highlight=False)
    if detail:
        for i, portion in enumerate(p.portions):
            mark = "[green]✓[/]" if i in p.done else " "
            reviews = len(p.passes.get(i, {})) - (1 if i in p.done else 0)
            extra = f"  [dim]reviewed {reviews}/{len(p.reviews)}[/]" if i in p.done and p.reviews else ""
            console.print(f"  {mark} {i + 1:>3}. {escape(str(portion))}{escape(extra)}", highlight=False)


@plan_app.command("add")
def plan_add(
    text: Annotated[
        str, typer.Argument(help="The work, e.g. 'Likutei Moharan Part II' or 'Iggeret HaTeshuvah'.")
    ],
    days: Annotated[int | None, typer.Option(min=1, help="Finish in N days.")] = None,
    by: Annotated[str | None, typer.Option(help="'chapter': a chapter a day.")] = None,
    start: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD; default today).")] = None,
    reviews: Annotated[
        str | None,
        typer.Option(
            help="Review after these many days, e.g. 1,7,30 (default: `plan reviews`); 'none' for none."
        ),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Divide a work into daily portions, each read once and reviewed after the days you set."""
    begin = None
    if start:
        try:
            begin = datetime.strptime(start, "%Y-%m-%d").date()
        except ValueError:
            raise MadregaError(f"'{start}' is not a day: use YYYY-MM-DD") from None
    review_days = None if reviews is None else plans.parse_reviews(reviews)
    plan = plans.add_plan(open_db(db), text, days=days, by=by, start=begin, reviews=review_days)
    if as_json:
        print_json(plan.to_dict())
    else:
        _print_plan(plan, detail=False)


@plan_app.command("list")
def plan_list(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Your plans."""
    found = plans.plans(open_db(db))
    if as_json:
        print_json([p.to_dict() for p in found])
    elif not found:
        console.print("No plans yet: `madrega plan add 'Iggeret HaTeshuvah' --by chapter`.")
    for p in found if not as_json else []:
        _print_plan(p, detail=False)


@plan_app.command("show")
def plan_show(
    plan_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonOption = False, db: DbOption = None
) -> None:
    """A plan's portions and which are done."""
    plan = plans.get_plan(open_db(db), plan_id)
    if as_json:
        print_json(plan.to_dict())
    else:
        _print_plan(plan, detail=True)


@plan_app.command("done")
def plan_done(
    plan_id: Annotated[str, typer.Argument(metavar="ID")],
    portion: Annotated[int, typer.Argument(help="Portion number (1 = first).")],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Mark a portion done: records the study (a study step covering it), which counts as the first
    reading or the review then due; the page and the API do the same."""
    conn = open_db(db)
    marked = plans.mark_portion(conn, plan_id, portion)
    if as_json:
        print_json(marked.to_dict(cycles.hebrew_day(conn)))
        return
    if marked.number is None:
        console.print("nothing due for that portion now (read it again any time; it is already counted)")
    else:
        console.print(
            f"{'first reading' if marked.number == 0 else f'review {marked.number}'}: {marked.plan.portions[portion - 1]}"
        )
    _print_plan(marked.plan, detail=False)


@plan_app.command("reviews")
def plan_reviews(
    days: Annotated[
        str | None, typer.Argument(help="Days after the first reading, e.g. 1,7,30; 'none' for no reviews.")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show or set when new plans review a portion (default a day, a week and a month after)."""
    conn = open_db(db)
    current = plans.default_reviews(conn) if days is None else plans.set_default_reviews(conn, days)
    if as_json:
        print_json({"reviews": list(current)})
    else:
        console.print(
            "reviews after " + (", ".join(f"{d} day{'s' if d != 1 else ''}" for d in current) or "none")
        )


@plan_app.command("remove")
def plan_remove(
    plan_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonOption = False, db: DbOption = None
) -> None:
    """Put a plan aside (the steps you took for it stay)."""
    plan = plans.remove_plan(open_db(db), plan_id)
    if as_json:
        print_json({"removed": plan.uid})
    else:
        console.print(f"removed plan {plan.short_id} {escape(plan.title)}")


# ---------------------------------------------------------------- journal


@journal_app.command("export")
def journal_export(
    path: Annotated[Path | None, typer.Argument(help="File to write (default: standard output).")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="jsonl (every event) or csv (current steps).")
    ] = "jsonl",
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Export the journal: JSON Lines of events (complete) or CSV of steps (for spreadsheets)."""
    conn = open_db(db)
    if fmt not in ("jsonl", "csv"):
        raise MadregaError(f"unknown format '{fmt}': use jsonl or csv")
    text = "".join(transfer.export_jsonl(conn)) if fmt == "jsonl" else transfer.export_csv(conn)
    if path is None:
        sys.stdout.write(text)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise MadregaError(f"cannot write {str(path)[:200]}: {exc.strerror}") from None
    lines = max(0, text.count("\n") - (1 if fmt == "csv" else 0))
    if as_json:
        print_json({"path": str(path), "format": fmt, "records": lines})
    else:
        console.print(f"wrote {lines} {'events' if fmt == 'jsonl' else 'steps'} to {path}")


@journal_app.command("import")
def journal_import(
    path: Annotated[Path, typer.Argument(help="A .jsonl or .csv export.")],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Merge an export into this journal (what is already here is skipped)."""
    result = transfer.import_file(open_db(db), path)
    if as_json:
        print_json(result.to_dict())
    else:
        console.print(f"imported {result.added} new, {result.skipped} already here")


@journal_app.command("backup")
def journal_backup(
    path: Annotated[
        Path | None, typer.Argument(help="Where to write (default: backups/ in the data dir).")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """A consistent copy of the whole database, safe while madrega is running."""
    target = transfer.backup(open_db(db), path, now=_clock_now())
    if as_json:
        print_json({"path": str(target)})
    else:
        console.print(f"backed up to {target}")


@journal_app.command("rebuild")
def journal_rebuild(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Regenerate the steps from the log (events that do not fit the schema are skipped and named)."""
    problems: list[str] = []
    count = journal.rebuild(open_db(db), problems)
    if as_json:
        print_json({"steps": count, "skipped": problems})
        return
    console.print(f"{plural(count, 'step')} replayed from the log")
    for problem in problems:
        err_console.print(f"[yellow]warning:[/] {escape(str(problem))}", highlight=False)


@journal_app.command("check")
def journal_check(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Check every stored event against the schema (a bad one is skipped, never harmful)."""
    problems = journal.bad_events(open_db(db))
    if as_json:
        print_json({"bad_events": problems})
    elif not problems:
        console.print("every event fits the schema")
    else:
        console.print(f"{plural(len(problems), 'event')} skipped on replay:")
        for problem in problems:
            console.print(f"  {escape(str(problem))}", highlight=False)


# ---------------------------------------------------------------- skip days


def _skip_day(text: str, conn: Any) -> Any:
    return _parse_day(conn, text)


@skip_app.command("add")
def skip_add(
    first: Annotated[str, typer.Argument(help="The first day (YYYY-MM-DD, 'today', 'yesterday').")],
    last: Annotated[str | None, typer.Argument(help="The last day (default: the first).")] = None,
    reason: Annotated[str | None, typer.Option(help="Why (illness, travel…): only you see it.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Set days aside: they neither lower your strength nor count as a gap."""
    conn = open_db(db)
    start = _skip_day(first, conn)
    skip = journal.add_skip(
        conn, start, _skip_day(last, conn) if last else None, reason=reason, now=_clock_now()
    )
    if as_json:
        print_json(skip.to_dict())
    else:
        console.print(
            f"set aside {plural(len(skip.days), 'day')}: {calendar.when_words(skip.first)}"
            + (f" – {calendar.when_words(skip.last)}" if skip.last != skip.first else "")
            + f"  [dim]id {skip.uid[:8]}[/]",
            highlight=False,
        )


@skip_app.command("list")
def skip_list(as_json: JsonOption = False, db: DbOption = None) -> None:
    """The days you have set aside."""
    found = journal.skips(open_db(db))
    if as_json:
        print_json([s.to_dict() for s in found])
    elif not found:
        console.print("No days set aside. Shabbat and Yom Tov never count against you anyway.")
    for s in found if not as_json else []:
        why = f" ({s.reason})" if s.reason else ""
        console.print(
            f"[bold]{s.uid[:8]}[/] {s.first.isoformat()} – {s.last.isoformat()}: {plural(len(s.days), 'day')}{why}",
            highlight=False,
        )


@skip_app.command("remove")
def skip_remove(
    skip_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonOption = False, db: DbOption = None
) -> None:
    """Count those days again."""
    skip = journal.remove_skip(open_db(db), skip_id, now=_clock_now())
    if as_json:
        print_json({"removed": skip.uid})
    else:
        console.print(f"removed {skip.uid[:8]}: those days count again")


# ---------------------------------------------------------------- config


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help=", ".join(calendar.SETTINGS))],
    value: Annotated[str, typer.Argument()],
    db: DbOption = None,
) -> None:
    """Set where and when your Hebrew day changes."""
    calendar.set_setting(open_db(db), key, value)
    console.print(f"{key} = {escape(str(value))}", highlight=False)


@config_app.command("unset")
def config_unset(key: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    calendar.set_setting(open_db(db), key, None)
    console.print(f"{key} unset")


@config_app.command("list")
def config_list(as_json: JsonOption = False, db: DbOption = None) -> None:
    values = calendar.settings(open_db(db))
    if as_json:
        print_json(values)
        return
    for key, value in values.items():
        console.print(
            f"{key} = {value if value is not None else '(default)'}   [dim]{calendar.SETTINGS[key]}[/]"
        )
