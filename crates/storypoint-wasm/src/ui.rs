//! The widget's own words (the questions' words come from the questionnaire), Dutch first.
use storypoint_core::Lang;

/// Every text the widget shows around the questions.
pub struct Words {
    pub next: &'static str,
    pub back: &'static str,
    pub to_review: &'static str,
    pub step: &'static str,
    pub of: &'static str,
    pub required: &'static str,
    pub characters: &'static str,
    pub not_chosen: &'static str,
    pub review_title: &'static str,
    pub review_intro: &'static str,
    pub change: &'static str,
    pub not_answered: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub saved_offline: &'static str,
    pub thanks_title: &'static str,
    pub thanks_text: &'static str,
    pub another: &'static str,
    pub closed: &'static str,
    pub fix_errors: &'static str,
    pub refused: &'static str,
    pub no_storage: &'static str,
    pub your_question: &'static str,
    pub out_of: &'static str,
}

const NL: Words = Words {
    next: "Volgende",
    back: "Vorige",
    to_review: "Verder",
    step: "Stap ",
    of: " van ",
    required: " (moet je invullen)",
    characters: " tekens",
    not_chosen: "Nog niet gekozen",
    review_title: "Klopt alles?",
    review_intro: "Lees nog even na. Je kunt alles nog veranderen.",
    change: "Verander",
    not_answered: "Niet ingevuld",
    send: "Verstuur mijn verhaal",
    sending: "Je verhaal wordt verstuurd…",
    saved_offline: "Je verhaal is bewaard op dit apparaat. We sturen het zodra je weer online bent.",
    thanks_title: "Bedankt voor je verhaal!",
    thanks_text: "Je verhaal is goed aangekomen. Het helpt om de jeugdhulp beter te maken.",
    another: "Nog een verhaal vertellen",
    closed: "Dit vertelpunt is gesloten. Je verhaal is niet verstuurd, maar staat nog op dit apparaat.",
    fix_errors: "Er klopt nog iets niet. Kijk bij de rode tekst.",
    refused: "Je verhaal kon niet worden verstuurd. Het staat nog op dit apparaat.",
    no_storage: "Let op: dit apparaat kan je verhaal niet tussendoor bewaren. Verstuur het voordat je de pagina sluit.",
    your_question: "Jouw vraag: ",
    out_of: " van 100",
};

const EN: Words = Words {
    next: "Next",
    back: "Back",
    to_review: "Continue",
    step: "Step ",
    of: " of ",
    required: " (required)",
    characters: " characters",
    not_chosen: "Not chosen yet",
    review_title: "Is everything right?",
    review_intro: "Read it once more. You can still change anything.",
    change: "Change",
    not_answered: "Not answered",
    send: "Send my story",
    sending: "Sending your story…",
    saved_offline: "Your story is saved on this device. We will send it as soon as you are online again.",
    thanks_title: "Thank you for your story!",
    thanks_text: "Your story has arrived. It helps to make youth care better.",
    another: "Tell another story",
    closed: "This storytelling point is closed. Your story was not sent, but it is still on this device.",
    fix_errors: "Something is not right yet. Look at the red text.",
    refused: "Your story could not be sent. It is still on this device.",
    no_storage: "Note: this device cannot keep your story in between. Send it before you close the page.",
    your_question: "Your question: ",
    out_of: " out of 100",
};

/// The words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}
