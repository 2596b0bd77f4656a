//! The sort of the loaded leads: a select that puts the order in the list's address, and the
//! hint that the server pages newest first (other orders apply to the leads loaded so far).
use super::address::use_show_list;
use crate::domain::lead_query::{LeadQuery, SortBy};
use leptos::prelude::*;

crate::texts! {
    Sort: "排序", "Sort";
    SortNewest: "最新创建", "Newest first";
    SortOldest: "最早创建", "Oldest first";
    SortScoreDesc: "评分从高到低", "Score, high to low";
    SortScoreAsc: "评分从低到高", "Score, low to high";
    SortActivity: "活跃度从高到低", "Most active first";
    SortHint: "服务器按创建时间从新到旧分页返回；其他排序只对已加载的线索生效。", "The server pages leads newest first; other sorts apply to the leads loaded so far.";
}

/// The text naming a sort.
fn label(sort: SortBy) -> T {
    match sort {
        SortBy::Newest => T::SortNewest,
        SortBy::Oldest => T::SortOldest,
        SortBy::ScoreDesc => T::SortScoreDesc,
        SortBy::ScoreAsc => T::SortScoreAsc,
        SortBy::ActivityDesc => T::SortActivity,
    }
}

/// The sort select of the list shown with `query` and `sort`: choosing keeps the filters.
#[component]
pub fn LeadSort(query: Memo<LeadQuery>, sort: Memo<SortBy>) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    let go = use_show_list();
    let on_sort = move |ev: leptos::ev::Event| go(query.get_untracked(), SortBy::parse(&event_target_value(&ev)));
    view! {
        <div class="list-tools">
            <label class="field sort" for="lead-sort">
                <span>{move || t(lang.get(), T::Sort)}</span>
                <select id="lead-sort" name="sort" prop:value=move || sort.get().key() on:change=on_sort>
                    {SortBy::ALL.into_iter().map(|s| view! {
                        <option value=s.key() selected=move || sort.get() == s>{move || t(lang.get(), label(s))}</option>
                    }).collect_view()}
                </select>
            </label>
            <p class="hint">{move || t(lang.get(), T::SortHint)}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_sort_has_a_label_in_both_languages() {
        for s in SortBy::ALL {
            assert!(!t(Lang::Zh, label(s)).is_empty() && !t(Lang::En, label(s)).is_empty(), "{s:?}");
        }
    }
}
