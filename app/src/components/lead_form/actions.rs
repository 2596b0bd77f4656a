//! The lead form's actions: what stands in the way of saving (a conflict with someone else's
//! save, the server's refusal, fields to fix), the save button and the way back.
use super::inputs::field_name;
use super::state::FormState;
use crate::error::UiError;
use crate::i18n::Lang;
use leptos::prelude::*;

crate::texts! {
    Save: "保存线索", "Save lead";
    Saving: "正在保存…", "Saving…";
    SaveChanges: "保存修改", "Save changes";
    Cancel: "取消", "Cancel";
    Fix: "请先修正标红的字段。", "Please fix the fields marked in red.";
    Conflict: "保存前这条线索已被其他人修改。您没改动的字段已更新为最新内容，您的修改都还在；请核对后再次保存。", "Someone else changed this lead before you saved. The fields you left alone now show their changes, and yours are all still here; check them and save again.";
    ConflictBoth: "您与对方都修改了：", "You both changed: ";
}

/// What the save button says while `saving`, on an edit or a new lead.
fn save_label(saving: bool, editing: bool) -> T {
    match (saving, editing) {
        (true, _) => T::Saving,
        (false, true) => T::SaveChanges,
        (false, false) => T::Save,
    }
}

/// The form's actions. `conflict` holds, after someone else saved first, the fields both
/// changed; `cancel_href` is where cancelling goes.
#[component]
pub fn FormActions(
    state: FormState,
    conflict: RwSignal<Option<Vec<&'static str>>>,
    general_error: RwSignal<Option<UiError>>,
    saving: Memo<bool>,
    editing: bool,
    cancel_href: String,
) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    view! {
        <div class="form-actions">
            {move || conflict.get().map(|both| view! {
                <p class="form-error conflict" role="alert">
                    {t(lang.get(), T::Conflict)}
                    {(!both.is_empty()).then(|| format!(
                        " {}{}",
                        t(lang.get(), T::ConflictBoth),
                        both.iter().map(|f| field_name(f, lang.get())).collect::<Vec<_>>().join(if lang.get() == Lang::Zh { "、" } else { ", " })
                    ))}
                </p>
            })}
            {move || general_error.get().map(|e| view! {
                <p class="form-error" role="alert">{e.message(lang.get())}</p>
            })}
            {move || (state.attempted.get() && general_error.with(Option::is_none) && state.any_problem())
                .then(|| view! { <p class="form-error" role="alert">{t(lang.get(), T::Fix)}</p> })}
            <button type="submit" class="primary" disabled=move || saving.get()>
                {move || t(lang.get(), save_label(saving.get(), editing))}
            </button>
            <a class="secondary" href=cancel_href>
                {move || t(lang.get(), T::Cancel)}
            </a>
        </div>
    }
}
