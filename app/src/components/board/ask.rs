//! The question a won or lost move asks before it is made: the deal amount for won, the
//! reason for lost.
use super::state::BoardState;
use crate::domain::board::{parse_deal_amount, BoardCard};
use crate::domain::enums::{LossReason, Status};
use leptos::prelude::*;

crate::texts! {
    WonTitle: "成交金额", "Deal amount";
    WonHint: "请输入成交金额（元）", "Enter the deal amount (CNY)";
    LostTitle: "流失原因", "Why was it lost?";
    LostHint: "请选择流失原因", "Choose the reason";
    Confirm: "确认", "Confirm";
    Cancel: "取消", "Cancel";
    BadAmount: "请输入大于 0 的金额", "Enter an amount above 0";
}

/// A move that needs one more answer: the amount (won) or the reason (lost).
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub card: BoardCard,
    pub to: Status,
}

/// Asks for the deal amount (won) or the loss reason (lost) before the move.
#[component]
pub fn AskDialog(ask: Ask, state: BoardState) -> impl IntoView {
    let lang = state.lang;
    let ask_signal = state.ask;
    let won = ask.to == Status::Won;
    let amount = RwSignal::new(ask.card.budget.map(|b| crate::format::fixed(b, 0)).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(false);
    let code = ask.card.code.clone();
    let title = move || if won { t(lang.get(), T::WonTitle) } else { t(lang.get(), T::LostTitle) };
    let confirm = {
        let ask = ask.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (a, r) = if won {
                (parse_deal_amount(&amount.get_untracked()), None)
            } else {
                (None, LossReason::parse(&reason.get_untracked()))
            };
            if (won && a.is_none()) || (!won && r.is_none()) {
                problem.set(true);
                return;
            }
            ask_signal.set(None);
            state.commit(ask.card.clone(), ask.to, a, r);
        }
    };
    let cancel = move |_| ask_signal.set(None);
    // The reasons the workspace offers, in its order (all of them where the board is shown
    // outside the app's pages).
    let reasons = use_context::<crate::ui::Ui>()
        .map(|ui| ui.settings.with_untracked(|s| s.loss_reasons.clone()))
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| LossReason::ALL.to_vec());
    view! {
        <div class="dialog-backdrop">
            <form class="dialog card" role="dialog" aria-modal="true" aria-labelledby="ask-title" on:submit=confirm
                on:keydown=move |ev| if ev.key() == "Escape" { ask_signal.set(None) }>
                <h2 id="ask-title">{title}" · "{code}</h2>
                {if won {
                    view! {
                        <label class="field">
                            <span>{move || t(lang.get(), T::WonHint)}</span>
                            <input id="deal-amount" inputmode="decimal" autofocus prop:value=move || amount.get()
                                aria-invalid=move || problem.get().to_string()
                                on:input=move |ev| { amount.set(event_target_value(&ev)); problem.set(false); }/>
                        </label>
                    }.into_any()
                } else {
                    view! {
                        <label class="field">
                            <span>{move || t(lang.get(), T::LostHint)}</span>
                            <select id="loss-reason" autofocus prop:value=move || reason.get()
                                aria-invalid=move || problem.get().to_string()
                                on:change=move |ev| { reason.set(event_target_value(&ev)); problem.set(false); }>
                                <option value="">"—"</option>
                                {reasons.iter().map(|&r| view! { <option value=r.key()>{move || r.label(lang.get())}</option> }).collect_view()}
                            </select>
                        </label>
                    }.into_any()
                }}
                <Show when=move || problem.get()>
                    <p class="field-error" role="alert">
                        {move || if won { t(lang.get(), T::BadAmount) } else { t(lang.get(), T::LostHint) }}
                    </p>
                </Show>
                <div class="dialog-actions">
                    <button type="button" on:click=cancel>{move || t(lang.get(), T::Cancel)}</button>
                    <button type="submit" class="primary">{move || t(lang.get(), T::Confirm)}</button>
                </div>
            </form>
        </div>
    }
}
