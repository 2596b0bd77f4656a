//! The board page: the filters above the self-contained [`BoardView`].
use crate::components::board::filters::BoardFilters;
use crate::components::board::view::BoardView;
use crate::domain::board::BoardFilter;
use crate::ui::use_ui;
use leptos::prelude::*;

// The page's texts in both languages.
crate::texts! {
    Title: "销售看板", "Pipeline";
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let lang = use_ui().lang;
    let filter = RwSignal::new(BoardFilter::default());
    view! {
        <section class="board-page">
            <div class="board-head">
                <h1>{move || t(lang.get(), T::Title)}</h1>
                <BoardFilters filter=filter/>
            </div>
            <BoardView filter=Signal::from(filter)/>
        </section>
    }
}
