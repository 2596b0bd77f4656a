//! The pipeline board component (看板), self-contained so it can also be mounted alone as the
//! embeddable widget: seven columns with count and amount, cards that move by mouse or touch
//! (pointer events) and by keyboard, won asking for the amount and lost for the reason, moves
//! shown at once and rolled back with a clear message when the server refuses, columns that
//! load more on scroll, and other people's changes arriving live (server-sent events).
use crate::board::{neighbour, Board, BoardCard, BoardFilter, COLUMNS};
use crate::domain::enums::{LossReason, Status};
use crate::error::UiError;
use crate::format::cny;
use crate::i18n::Lang;
use crate::server_fns::board::{load_board, load_column, move_card};
use crate::settings::CadenceSettings;
use crate::shell::use_ui;
use crate::wire::{PageEvent, EVENTS_URL};
use leptos::prelude::*;
use std::collections::HashSet;

fn t(lang: Lang, key: &str) -> &'static str {
    let zh = lang == Lang::Zh;
    match key {
        "board" if zh => "销售看板",
        "board" => "Pipeline board",
        "leads" if zh => "条",
        "leads" => "leads",
        "stale" if zh => "超期",
        "stale" => "Stale",
        "stale_hint" if zh => "停留时间超过该等级的初始阶段上限",
        "stale_hint" => "In its first stage longer than its grade allows",
        "days" if zh => "天",
        "days" => "d",
        "more" if zh => "加载更多",
        "more" => "Load more",
        "loading" if zh => "加载中…",
        "loading" => "Loading…",
        "empty" if zh => "暂无线索",
        "empty" => "No leads",
        "live" if zh => "实时同步中",
        "live" => "Live",
        "offline" if zh => "连接中断，正在重连…",
        "offline" => "Reconnecting…",
        "card_role" if zh => "可移动的线索卡片",
        "card_role" => "movable lead card",
        "help" if zh => "拖动卡片换列；或选中卡片按空格键拿起，用左右方向键选列，再按空格键放下，Esc 取消。",
        "help" => "Drag a card to another column; or focus a card, press Space to pick it up, Left/Right to choose a column, Space to drop, Esc to cancel.",
        "picked" if zh => "已拿起，用左右方向键选择列，空格键放下，Esc 取消",
        "picked" => "picked up; use Left and Right to choose a column, Space to drop, Esc to cancel",
        "target" if zh => "目标列",
        "target" => "target column",
        "cancelled" if zh => "已取消移动",
        "cancelled" => "Move cancelled",
        "moved_to" if zh => "已移动到",
        "moved_to" => "moved to",
        "won_title" if zh => "成交金额",
        "won_title" => "Deal amount",
        "won_hint" if zh => "请输入成交金额（元）",
        "won_hint" => "Enter the deal amount (CNY)",
        "lost_title" if zh => "流失原因",
        "lost_title" => "Why was it lost?",
        "lost_hint" if zh => "请选择流失原因",
        "lost_hint" => "Choose the reason",
        "confirm" if zh => "确认",
        "confirm" => "Confirm",
        "cancel" if zh => "取消",
        "cancel" => "Cancel",
        "bad_amount" if zh => "请输入大于 0 的金额",
        "bad_amount" => "Enter an amount above 0",
        "points" if zh => "分",
        "points" => " pts",
        "dismiss" if zh => "知道了",
        "dismiss" => "Dismiss",
        _ => "",
    }
}

/// A card being dragged with a pointer.
#[derive(Debug, Clone, PartialEq)]
struct Drag {
    code: String,
    from: Status,
    start: (f64, f64),
    offset: (f64, f64),
    /// Past the few pixels that tell a drag from a click.
    active: bool,
    over: Option<Status>,
}

/// A card picked up with the keyboard, and the column it would drop into.
#[derive(Debug, Clone, PartialEq)]
struct Grab {
    code: String,
    target: Status,
}

/// A move that needs one more answer: the amount (won) or the reason (lost).
#[derive(Debug, Clone, PartialEq)]
struct Ask {
    card: BoardCard,
    to: Status,
}

/// A message for the user about a move.
#[derive(Debug, Clone, PartialEq)]
struct Notice {
    text: String,
    error: bool,
}

/// Whether a pointer has moved far enough from where it went down to be a drag.
fn is_drag(start: (f64, f64), now: (f64, f64)) -> bool {
    (now.0 - start.0).hypot(now.1 - start.1) > 6.0
}

/// Reads an amount the user typed: digits with optional separators and decimals, above 0.
pub fn parse_amount(text: &str) -> Option<f64> {
    let cleaned: String =
        text.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect();
    cleaned.parse::<f64>().ok().filter(|a| a.is_finite() && *a > 0.0)
}

/// The column under a point of the page (a drop target), if any.
fn column_at(x: f64, y: f64) -> Option<Status> {
    let element = document().element_from_point(x as f32, y as f32)?;
    let column = element.closest("[data-status]").ok()??;
    Status::parse(&column.get_attribute("data-status")?)
}

/// Moves keyboard focus to a card once it is drawn in its new place.
fn focus_card(code: String) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .query_selector(&format!("[data-code=\"{code}\"]"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// The board: loads the columns for `filter`, and keeps them in step with the viewer's
/// moves and everyone else's.
#[component]
pub fn PipelineBoard(#[prop(into)] filter: Signal<BoardFilter>) -> impl IntoView {
    let lang = use_ui().lang;
    let loaded = crate::wire::resource(move || filter.get(), load_board);
    view! {
        <Transition fallback=move || view! { <p class="board-loading">{move || t(lang.get(), "loading")}</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(board) => view! { <Columns initial=board filter=filter reload=move || loaded.refetch()/> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{move || e.message(lang.get())}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Columns(
    initial: Board,
    filter: Signal<BoardFilter>,
    reload: impl Fn() + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let lang = use_ui().lang;
    let now = initial.now;
    let board = RwSignal::new(initial);
    let drag: RwSignal<Option<Drag>> = RwSignal::new(None);
    let grab: RwSignal<Option<Grab>> = RwSignal::new(None);
    let ask: RwSignal<Option<Ask>> = RwSignal::new(None);
    let notice: RwSignal<Option<Notice>> = RwSignal::new(None);
    let announce = RwSignal::new(String::new());
    let pending: RwSignal<HashSet<String>> = RwSignal::new(HashSet::new());
    let loading_more: RwSignal<HashSet<Status>> = RwSignal::new(HashSet::new());
    let live = RwSignal::new(false);

    // Moves a card: at once on the board, then on the server; a refusal puts it back (or,
    // when someone else changed it first, where they put it) and says why.
    let commit = move |card: BoardCard, to: Status, amount: Option<f64>, reason: Option<LossReason>| {
        let lang_now = lang.get_untracked();
        let moved = card.moved(to, amount, chrono::Utc::now());
        let f = filter.get_untracked();
        board.update(|b| b.put(Some(&card), moved.clone(), &f));
        pending.update(|p| {
            p.insert(card.code.clone());
        });
        notice.set(None);
        let code = card.code.clone();
        focus_card(card.code.clone());
        leptos::task::spawn_local(async move {
            let answer = move_card(code.clone(), to, card.version, amount, reason).await;
            let f = filter.get_untracked();
            match answer {
                Ok(now_card) => {
                    board.update(|b| b.put(Some(&moved), now_card, &f));
                    focus_card(code.clone());
                    announce.set(format!("{} {} {}", code, t(lang_now, "moved_to"), to.label(lang_now)));
                }
                Err(UiError::Conflict(lead)) => {
                    let fresh = BoardCard::of_lead(&lead);
                    board.update(|b| b.put(Some(&moved), fresh, &f));
                    focus_card(code.clone());
                    let text = UiError::Conflict(lead).message(lang.get_untracked());
                    announce.set(text.clone());
                    notice.set(Some(Notice { text, error: true }));
                }
                Err(e) => {
                    board.update(|b| b.put(Some(&moved), card.clone(), &f));
                    focus_card(code.clone());
                    let text = format!("{}：{}", code, e.message(lang.get_untracked()));
                    announce.set(text.clone());
                    notice.set(Some(Notice { text, error: true }));
                }
            }
            pending.update(|p| {
                p.remove(&code);
            });
        });
    };
    // A drop or a keyboard move: won and lost ask first.
    let request = move |code: &str, to: Status| {
        let Some(card) = board.with_untracked(|b| b.find(code).cloned()) else { return };
        if card.status == to || pending.with_untracked(|p| p.contains(code)) {
            return;
        }
        match to {
            Status::Won | Status::Lost => ask.set(Some(Ask { card, to })),
            _ => commit(card, to, None, None),
        }
    };

    // Pointer dragging: the card follows the pointer; the column under it is the target.
    let pointer_move = window_event_listener(leptos::ev::pointermove, move |ev| {
        if drag.with_untracked(Option::is_none) {
            return;
        }
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        drag.update(|d| {
            if let Some(d) = d {
                d.offset = (x - d.start.0, y - d.start.1);
                d.active = d.active || is_drag(d.start, (x, y));
                if d.active {
                    d.over = column_at(x, y);
                }
            }
        });
        if drag.with_untracked(|d| d.as_ref().is_some_and(|d| d.active)) {
            ev.prevent_default();
            // Near the board's left or right edge, the columns scroll under the card.
            if let Some(columns) = document().query_selector(".columns").ok().flatten() {
                let rect = columns.get_bounding_client_rect();
                if x < rect.left() + 60.0 {
                    columns.scroll_by_with_x_and_y(-24.0, 0.0);
                } else if x > rect.right() - 60.0 {
                    columns.scroll_by_with_x_and_y(24.0, 0.0);
                }
            }
        }
    });
    let pointer_up = window_event_listener(leptos::ev::pointerup, move |ev| {
        let Some(d) = drag.get_untracked() else { return };
        drag.set(None);
        if d.active {
            let target = column_at(f64::from(ev.client_x()), f64::from(ev.client_y())).or(d.over);
            if let Some(to) = target.filter(|to| *to != d.from) {
                request(&d.code, to);
            }
        }
    });
    let pointer_cancel = window_event_listener(leptos::ev::pointercancel, move |_| drag.set(None));
    on_cleanup(move || {
        pointer_move.remove();
        pointer_up.remove();
        pointer_cancel.remove();
    });

    // Other people's changes, as the server pushes them.
    Effect::new(move |_| {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Ok(source) = web_sys::EventSource::new(EVENTS_URL) else { return };
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(data) = ev.data().as_string() else { return };
            match PageEvent::decode(&data) {
                // A card this board is moving itself is settled by the server's answer.
                Some(PageEvent::LeadChanged { previous, card })
                    if !pending.with_untracked(|p| p.contains(&card.code)) =>
                {
                    let f = filter.get_untracked();
                    board.update(|b| b.apply(previous.as_deref(), *card, &f));
                }
                Some(PageEvent::LeadGone { previous }) => {
                    let f = filter.get_untracked();
                    board.update(|b| b.remove(&previous, &f));
                }
                Some(PageEvent::Imported | PageEvent::Resync) => reload(),
                Some(PageEvent::LeadChanged { .. }) | None => {}
            }
        });
        let on_open = Closure::<dyn Fn()>::new(move || live.set(true));
        let on_error = Closure::<dyn Fn()>::new(move || live.set(false));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let kept = send_wrapper::SendWrapper::new((source, on_message, on_open, on_error));
        on_cleanup(move || kept.0.close());
    });

    // Later pages of a column, when it is scrolled to its end or "load more" is pressed.
    let load_more = move |status: Status| {
        if loading_more.with_untracked(|l| l.contains(&status)) {
            return;
        }
        let offset = board.with_untracked(|b| b.column(status).map_or(0, |c| c.cards.len()));
        loading_more.update(|l| {
            l.insert(status);
        });
        leptos::task::spawn_local(async move {
            match load_column(status, filter.get_untracked(), offset).await {
                Ok(more) => board.update(|b| b.append(status, more)),
                Err(e) => notice.set(Some(Notice { text: e.message(lang.get_untracked()), error: true })),
            }
            loading_more.update(|l| {
                l.remove(&status);
            });
        });
    };

    let card_view = move |card: BoardCard| {
        let code = card.code.clone();
        let status = card.status;
        let stale = card.is_stale(now, &CadenceSettings::default());
        let days = card.days_in_stage(now);
        let code_for_down = code.clone();
        let code_for_key = code.clone();
        let code_for_class = code.clone();
        let code_for_grab = code.clone();
        let on_down = move |ev: leptos::ev::PointerEvent| {
            if ev.button() != 0 || !ev.is_primary() {
                return;
            }
            // A press on the card's link opens the lead instead.
            let on_link = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .and_then(|e| e.closest("a").ok().flatten())
                .is_some();
            if on_link && ev.pointer_type() == "mouse" {
                return;
            }
            let start = (f64::from(ev.client_x()), f64::from(ev.client_y()));
            drag.set(Some(Drag {
                code: code_for_down.clone(),
                from: status,
                start,
                offset: (0.0, 0.0),
                active: false,
                over: None,
            }));
        };
        let on_key = move |ev: leptos::ev::KeyboardEvent| {
            let key = ev.key();
            let held = grab.get_untracked().filter(|g| g.code == code_for_key);
            match (key.as_str(), held) {
                (" " | "Enter", None) => {
                    ev.prevent_default();
                    grab.set(Some(Grab { code: code_for_key.clone(), target: status }));
                    let l = lang.get_untracked();
                    announce.set(format!("{} {}", code_for_key, t(l, "picked")));
                }
                ("ArrowRight" | "ArrowLeft", Some(g)) => {
                    ev.prevent_default();
                    if let Some(next) = neighbour(g.target, key == "ArrowRight") {
                        grab.set(Some(Grab { code: g.code, target: next }));
                        let l = lang.get_untracked();
                        announce.set(format!("{}：{}", t(l, "target"), next.label(l)));
                    }
                }
                (" " | "Enter", Some(g)) => {
                    ev.prevent_default();
                    grab.set(None);
                    if g.target != status {
                        request(&g.code, g.target);
                    }
                }
                ("Escape", Some(_)) => {
                    grab.set(None);
                    announce.set(t(lang.get_untracked(), "cancelled").to_string());
                }
                _ => {}
            }
        };
        let class = move || {
            let mut c = String::from("deal-card");
            if drag.with(|d| d.as_ref().is_some_and(|d| d.active && d.code == code_for_class)) {
                c.push_str(" dragging");
            }
            if grab.with(|g| g.as_ref().is_some_and(|g| g.code == code_for_class)) {
                c.push_str(" grabbed");
            }
            if stale {
                c.push_str(" stale");
            }
            c
        };
        let code_for_style = code.clone();
        let style = move || {
            drag.with(|d| match d {
                Some(d) if d.active && d.code == code_for_style => {
                    // Whole pixels: the card follows the pointer without fractional offsets.
                    let (x, y) = (d.offset.0.round() as i64, d.offset.1.round() as i64);
                    format!("transform: translate({x}px, {y}px) rotate(2deg);")
                }
                _ => String::new(),
            })
        };
        let pressed = move || grab.with(|g| g.as_ref().is_some_and(|g| g.code == code_for_grab)).to_string();
        let href = format!("/leads/{code}");
        let owner = card.owner_name.clone().or(card.owner.clone()).unwrap_or_default();
        let amount = card.amount.map(cny);
        let grade = card.grade.key();
        view! {
            <li role="listitem" class=class style=style data-code=code.clone() tabindex="0"
                aria-roledescription=move || t(lang.get(), "card_role") aria-pressed=pressed
                on:pointerdown=on_down on:keydown=on_key>
                <div class="card-top">
                    <a class="company" href=href draggable="false">{card.company.clone()}</a>
                    <span class=format!("grade-chip grade-{grade}") title=move || format!("{} {}", grade, card.score)>{grade}</span>
                </div>
                <div class="card-meta">
                    <span class="code">{code.clone()}</span>
                    <span class="score">{card.score}{move || t(lang.get(), "points")}</span>
                    {amount.map(|a| view! { <span class="amount">{a}</span> })}
                </div>
                <div class="card-foot">
                    <span class="owner">{owner}</span>
                    <span class="days">{days}{move || t(lang.get(), "days")}</span>
                    {stale.then(|| view! {
                        <span class="stale-mark" title=move || t(lang.get(), "stale_hint")>{move || t(lang.get(), "stale")}</span>
                    })}
                </div>
            </li>
        }
    };

    let column_view = move |status: Status| {
        let label = move || status.label(lang.get());
        let heading_id = format!("col-{}", status.key());
        let labelled_by = heading_id.clone();
        let count = move || board.with(|b| b.column(status).map_or(0, |c| c.count));
        let amount = move || board.with(|b| b.column(status).map_or(0.0, |c| c.amount));
        let has_more = move || board.with(|b| b.column(status).is_some_and(|c| c.has_more()));
        let cards = move || board.with(|b| b.column(status).map(|c| c.cards.clone()).unwrap_or_default());
        let class = move || {
            let mut c = format!("column column-{}", status.key());
            let over =
                drag.with(|d| d.as_ref().is_some_and(|d| d.active && d.over == Some(status) && d.from != status));
            let target = grab.with(|g| g.as_ref().is_some_and(|g| g.target == status));
            if over || target {
                c.push_str(" drop-target");
            }
            c
        };
        let on_scroll = move |ev: leptos::ev::Event| {
            use wasm_bindgen::JsCast;
            if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                let near_end = el.scroll_top() + el.client_height() >= el.scroll_height() - 160;
                if near_end && has_more() {
                    load_more(status);
                }
            }
        };
        view! {
            <section class=class data-status=status.key() aria-labelledby=labelled_by>
                <header class="column-head">
                    <h2 id=heading_id>{label}</h2>
                    <span class="column-count" title=move || t(lang.get(), "leads")>{count}</span>
                    <span class="column-amount">{move || cny(amount())}</span>
                </header>
                <ul role="list" class="cards" aria-label=label on:scroll=on_scroll>
                    <For each=cards key=|c| (c.code.clone(), c.version, c.status_since) children=card_view/>
                    <Show when=move || count() == 0>
                        <li class="column-empty" aria-hidden="true">{move || t(lang.get(), "empty")}</li>
                    </Show>
                </ul>
                <Show when=has_more>
                    <button type="button" class="load-more" on:click=move |_| load_more(status)
                        disabled=move || loading_more.with(|l| l.contains(&status))>
                        {move || if loading_more.with(|l| l.contains(&status)) { t(lang.get(), "loading") } else { t(lang.get(), "more") }}
                    </button>
                </Show>
            </section>
        }
    };

    view! {
        <div class="pipeline" aria-label=move || t(lang.get(), "board")>
            <p class="board-help">
                <span class=move || if live.get() { "live on" } else { "live" }>
                    {move || if live.get() { t(lang.get(), "live") } else { t(lang.get(), "offline") }}
                </span>
                " "{move || t(lang.get(), "help")}
            </p>
            {move || notice.get().map(|n| view! {
                <div class=if n.error { "notice error" } else { "notice" } role="alert">
                    <span>{n.text}</span>
                    <button type="button" class="link" on:click=move |_| notice.set(None)>{move || t(lang.get(), "dismiss")}</button>
                </div>
            })}
            <div class="columns">
                {COLUMNS.iter().map(|s| column_view(*s)).collect_view()}
            </div>
            <p class="sr-only" aria-live="assertive">{move || announce.get()}</p>
            {move || ask.get().map(|a| view! { <AskDialog ask=a ask_signal=ask commit=commit/> })}
        </div>
    }
}

/// Asks for the deal amount (won) or the loss reason (lost) before the move.
#[component]
fn AskDialog(
    ask: Ask,
    ask_signal: RwSignal<Option<Ask>>,
    commit: impl Fn(BoardCard, Status, Option<f64>, Option<LossReason>) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let lang = use_ui().lang;
    let won = ask.to == Status::Won;
    let amount = RwSignal::new(ask.card.budget.map(|b| crate::format::fixed(b, 0)).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(false);
    let code = ask.card.code.clone();
    let title = move || if won { t(lang.get(), "won_title") } else { t(lang.get(), "lost_title") };
    let confirm = {
        let ask = ask.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (a, r) = if won {
                (parse_amount(&amount.get_untracked()), None)
            } else {
                (None, LossReason::parse(&reason.get_untracked()))
            };
            if (won && a.is_none()) || (!won && r.is_none()) {
                problem.set(true);
                return;
            }
            ask_signal.set(None);
            commit(ask.card.clone(), ask.to, a, r);
        }
    };
    let cancel = move |_| ask_signal.set(None);
    view! {
        <div class="dialog-backdrop">
            <form class="dialog card" role="dialog" aria-modal="true" aria-labelledby="ask-title" on:submit=confirm
                on:keydown=move |ev| if ev.key() == "Escape" { ask_signal.set(None) }>
                <h2 id="ask-title">{title}" · "{code}</h2>
                {if won {
                    view! {
                        <label class="field">
                            <span>{move || t(lang.get(), "won_hint")}</span>
                            <input id="deal-amount" inputmode="decimal" autofocus prop:value=move || amount.get()
                                aria-invalid=move || problem.get().to_string()
                                on:input=move |ev| { amount.set(event_target_value(&ev)); problem.set(false); }/>
                        </label>
                    }.into_any()
                } else {
                    view! {
                        <label class="field">
                            <span>{move || t(lang.get(), "lost_hint")}</span>
                            <select id="loss-reason" autofocus prop:value=move || reason.get()
                                aria-invalid=move || problem.get().to_string()
                                on:change=move |ev| { reason.set(event_target_value(&ev)); problem.set(false); }>
                                <option value="">"—"</option>
                                {LossReason::ALL.iter().map(|r| view! { <option value=r.key()>{move || r.label(lang.get())}</option> }).collect_view()}
                            </select>
                        </label>
                    }.into_any()
                }}
                <Show when=move || problem.get()>
                    <p class="field-error" role="alert">
                        {move || if won { t(lang.get(), "bad_amount") } else { t(lang.get(), "lost_hint") }}
                    </p>
                </Show>
                <div class="dialog-actions">
                    <button type="button" on:click=cancel>{move || t(lang.get(), "cancel")}</button>
                    <button type="submit" class="primary">{move || t(lang.get(), "confirm")}</button>
                </div>
            </form>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_accept_separators_and_a_currency_sign_but_not_zero_or_words() {
        assert_eq!(parse_amount("¥1,200,000"), Some(1_200_000.0));
        assert_eq!(parse_amount(" 95000.5 "), Some(95_000.5));
        assert_eq!(parse_amount("12，000"), Some(12_000.0));
        assert_eq!(parse_amount("0"), None);
        assert_eq!(parse_amount("-5"), None);
        assert_eq!(parse_amount("十万"), None);
        assert_eq!(parse_amount(""), None);
    }

    #[test]
    fn a_click_is_not_a_drag_until_the_pointer_travels() {
        assert!(!is_drag((10.0, 10.0), (13.0, 14.0)));
        assert!(is_drag((10.0, 10.0), (30.0, 10.0)));
    }

    #[test]
    fn every_board_text_exists_in_both_languages() {
        for key in [
            "board",
            "leads",
            "stale",
            "stale_hint",
            "days",
            "more",
            "loading",
            "empty",
            "live",
            "offline",
            "card_role",
            "help",
            "picked",
            "target",
            "cancelled",
            "moved_to",
            "won_title",
            "won_hint",
            "lost_title",
            "lost_hint",
            "confirm",
            "cancel",
            "bad_amount",
            "dismiss",
            "points",
        ] {
            assert!(!t(Lang::Zh, key).is_empty() && !t(Lang::En, key).is_empty(), "{key}");
        }
    }
}
