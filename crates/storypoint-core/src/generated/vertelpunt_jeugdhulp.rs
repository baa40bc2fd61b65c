// @generated from questionnaires/vertelpunt-jeugdhulp.json by the test
// `generated_static_data_is_fresh` (crates/storypoint-core/tests/default_questionnaire.rs).
// Do not edit: change the JSON file and run `cargo test -p storypoint-core`.
use alloc::string::String;
use alloc::vec;

use crate::questionnaire::*;
use crate::text::{Lang, Text};

fn s(text: &str) -> String {
    String::from(text)
}

fn t(nl: &str, en: Option<&str>) -> Text {
    Text { nl: s(nl), en: en.map(s) }
}

fn option(value: &str, nl: &str, en: Option<&str>) -> ChoiceOption {
    ChoiceOption { value: s(value), label: t(nl, en) }
}

pub(super) fn questionnaire() -> Questionnaire {
    Questionnaire {
        id: s("vertelpunt-jeugdhulp"),
        version: 1,
        languages: vec![Lang::Nl, Lang::En],
        title: t("Vertelpunt jeugdhulp", Some("Youth care storytelling point")),
        steps: vec![
            Step {
                id: s("prompt"),
                title: t("Kies een vraag", Some("Choose a question")),
                intro: Some(t("Kies de vraag waarover je iets wilt vertellen. Je hoeft je naam niet te geven.", Some("Choose the question you want to tell about. You do not have to give your name."))),
                questions: vec![
                    Question {
                        id: s("prompt"),
                        label: t("Waarover wil je vertellen?", Some("What do you want to tell about?")),
                        help: None,
                        required: true,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::PromptChoice {
                            prompts: vec![
                                Prompt { value: s("geholpen"), title: t("Geholpen…", Some("Helped…")), text: t("Vertel over een keer dat je geholpen werd. Of juist niet. Wat gebeurde er?", Some("Tell about a time you were helped. Or a time you were not. What happened?")) },
                                Prompt { value: s("veilig"), title: t("Veilig…", Some("Safe…")), text: t("Vertel over een keer dat je je veilig voelde. Of juist niet veilig. Wat gebeurde er?", Some("Tell about a time you felt safe. Or a time you did not feel safe. What happened?")) },
                                Prompt { value: s("gewoon_leven"), title: t("Gewoon leven…", Some("Ordinary life…")), text: t("Vertel over een keer dat je gewoon je leven kon leven: school, vrienden, sport, thuis. Of juist niet. Hielp de hulp daarbij, of zat die in de weg?", Some("Tell about a time you could just live your life: school, friends, sport, home. Or a time you could not. Did the help make that easier, or did it get in the way?")) },
                                Prompt { value: s("passend_onderwijs"), title: t("Een school die past…", Some("A school that fits…")), text: t("Vertel over een keer dat school goed paste bij jou of je kind. Of juist niet. Wat gebeurde er?", Some("Tell about a time school was a good fit for you or your child. Or a time it was not. What happened?")) },
                            ],
                        },
                    },
                ],
            },
            Step {
                id: s("story"),
                title: t("Jouw verhaal", Some("Your story")),
                intro: Some(t("Schrijf op wat er gebeurde. Kort of lang, het mag allebei.", Some("Write down what happened. Short or long, both are fine."))),
                questions: vec![
                    Question {
                        id: s("story"),
                        label: t("Jouw verhaal", Some("Your story")),
                        help: Some(t("Schrijf het op zoals je het aan de keukentafel zou vertellen. Noem geen namen van mensen, dan blijft je verhaal anoniem.", Some("Write it the way you would tell it at the kitchen table. Do not use names of people, so your story stays anonymous."))),
                        required: true,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::LongText { max_length: 5000 },
                    },
                    Question {
                        id: s("title"),
                        label: t("Geef je verhaal een titel", Some("Give your story a title")),
                        help: Some(t("Een paar woorden is genoeg.", Some("A few words are enough."))),
                        required: false,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::ShortText { max_length: 120 },
                    },
                    Question {
                        id: s("happened_when"),
                        label: t("Wanneer gebeurde dit?", Some("When did this happen?")),
                        help: None,
                        required: false,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::SingleChoice {
                            options: vec![
                                option("days", "Een paar dagen geleden", Some("A few days ago")),
                                option("weeks", "Een paar weken geleden", Some("A few weeks ago")),
                                option("months", "Een paar maanden geleden", Some("A few months ago")),
                                option("years", "Een jaar of langer geleden", Some("A year ago or longer")),
                            ],
                        },
                    },
                ],
            },
            Step {
                id: s("about_story"),
                title: t("Over je verhaal", Some("About your story")),
                intro: Some(t("Een paar vragen over je verhaal. Er zijn geen goede of foute antwoorden.", Some("A few questions about your story. There are no right or wrong answers."))),
                questions: vec![
                    Question {
                        id: s("emotion"),
                        label: t("Wat voelde je in dit verhaal?", Some("What did you feel in this story?")),
                        help: Some(t("Kies het gevoel dat het best past.", Some("Choose the feeling that fits best."))),
                        required: false,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::SingleChoice {
                            options: vec![
                                option("angry", "Boos", Some("Angry")),
                                option("sad", "Verdrietig", Some("Sad")),
                                option("afraid", "Bang", Some("Afraid")),
                                option("surprised", "Verrast", Some("Surprised")),
                                option("relieved", "Opgelucht", Some("Relieved")),
                                option("happy", "Blij", Some("Happy")),
                                option("proud", "Trots", Some("Proud")),
                            ],
                        },
                    },
                    Question {
                        id: s("treatment"),
                        label: t("Hoe gingen de mensen in je verhaal met elkaar om?", Some("How did the people in your story treat each other?")),
                        help: None,
                        required: false,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::SingleChoice {
                            options: vec![
                                option("warm", "Warm en vriendelijk", Some("Warm and kind")),
                                option("respectful", "Met respect", Some("With respect")),
                                option("businesslike", "Netjes, maar zakelijk", Some("Polite, but businesslike")),
                                option("distant", "Koel en afstandelijk", Some("Cold and distant")),
                                option("disrespectful", "Zonder respect", Some("Without respect")),
                            ],
                        },
                    },
                    Question {
                        id: s("seen_heard"),
                        label: t("Werd het kind of de jongere gezien en gehoord?", Some("Was the child or young person seen and heard?")),
                        help: Some(t("Werd er echt naar het kind of de jongere geluisterd? Gaat het verhaal over jezelf? Dan gaat deze vraag over jou.", Some("Did people really listen to the child or young person? Is the story about you? Then this question is about you."))),
                        required: false,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::Slider {
                            low: t("Helemaal niet", Some("Not at all")),
                            high: t("Helemaal wel", Some("Completely")),
                            not_applicable: Some(t("Weet ik niet / past niet", Some("I don't know / does not fit"))),
                        },
                    },
                    Question {
                        id: s("effect"),
                        label: t("Wat deed dit met jou of met het kind?", Some("What did this do to you or to the child?")),
                        help: Some(t("Werd het er slechter of beter door?", Some("Did it make things worse or better?"))),
                        required: false,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::Slider {
                            low: t("Heel slecht", Some("Very bad")),
                            high: t("Heel goed", Some("Very good")),
                            not_applicable: Some(t("Weet ik niet / past niet", Some("I don't know / does not fit"))),
                        },
                    },
                    Question {
                        id: s("system_theme"),
                        label: t("In dit verhaal ging het vooral over…", Some("This story was mostly about…")),
                        help: Some(t("Denk aan de hulp: hoe was die geregeld? Kies wat het best past.", Some("Think of the help: how was it arranged? Choose what fits best."))),
                        required: false,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::SingleChoice {
                            options: vec![
                                option("find_help", "Weten waar je hulp kunt vinden", Some("Knowing where to find help")),
                                option("waiting", "Wachten op hulp", Some("Waiting for help")),
                                option("fitting_help", "Hulp die bij je past", Some("Help that fits you")),
                                option("cooperation", "Organisaties die samenwerken", Some("Organisations working together")),
                                option("rules_and_money", "Regels en geld", Some("Rules and money")),
                                option("safety", "Veiligheid", Some("Safety")),
                                option("other", "Iets anders", Some("Something else")),
                            ],
                        },
                    },
                    Question {
                        id: s("citizen_theme"),
                        label: t("En in het dagelijks leven ging het vooral over…", Some("And in everyday life, it was mostly about…")),
                        help: Some(t("Denk aan het gewone leven: thuis, school, vrienden. Kies wat het best past.", Some("Think of everyday life: home, school, friends. Choose what fits best."))),
                        required: false,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::SingleChoice {
                            options: vec![
                                option("ordinary_life", "Gewoon kunnen leven", Some("Being able to live an ordinary life")),
                                option("safe_home", "Een veilig thuis", Some("A safe home")),
                                option("school", "School", Some("School")),
                                option("family_and_friends", "Familie en vrienden", Some("Family and friends")),
                                option("being_heard", "Gehoord worden", Some("Being heard")),
                                option("own_say", "Zelf mogen meebeslissen", Some("Having a say yourself")),
                                option("other", "Iets anders", Some("Something else")),
                            ],
                        },
                    },
                ],
            },
            Step {
                id: s("about_you"),
                title: t("Over jou", Some("About you")),
                intro: Some(t("Nog een paar vragen over jou. We vragen niet naar je naam.", Some("A few more questions about you. We do not ask for your name."))),
                questions: vec![
                    Question {
                        id: s("perspective"),
                        label: t("Ik vertel dit als…", Some("I am telling this as…")),
                        help: None,
                        required: true,
                        prefillable: true,
                        visible_if: None,
                        kind: QuestionKind::SingleChoice {
                            options: vec![
                                option("child", "Kind (jonger dan 12 jaar)", Some("Child (under 12)")),
                                option("young_person", "Jongere (12 tot 18 jaar)", Some("Young person (12 to 18)")),
                                option("parent", "Ouder, verzorger of familie", Some("Parent, carer or family")),
                                option("professional", "Professional (zorg, onderwijs, wijk, politie…)", Some("Professional (care, education, neighbourhood, police…)")),
                                option("other", "Iets anders", Some("Something else")),
                            ],
                        },
                    },
                    Question {
                        id: s("age_group"),
                        label: t("Hoe oud is het kind of de jongere in je verhaal?", Some("How old is the child or young person in your story?")),
                        help: Some(t("Gaat het verhaal over jezelf? Kies dan je eigen leeftijd.", Some("Is the story about you? Then choose your own age."))),
                        required: false,
                        prefillable: true,
                        visible_if: None,
                        kind: QuestionKind::SingleChoice {
                            options: vec![
                                option("under_12", "Jonger dan 12 jaar", Some("Under 12")),
                                option("12_to_18", "12 tot 18 jaar", Some("12 to 18")),
                                option("unknown", "Weet ik niet / allebei", Some("I don't know / both")),
                            ],
                        },
                    },
                    Question {
                        id: s("child_age"),
                        label: t("Hoe oud is het kind of de jongere?", Some("How old is the child or young person?")),
                        help: Some(t("In jaren. Ongeveer is ook goed.", Some("In years. A guess is fine too."))),
                        required: false,
                        prefillable: false,
                        visible_if: Some(Condition { question: s("age_group"), test: ConditionTest::IsUnknown }),
                        kind: QuestionKind::Number { min: 0, max: 23 },
                    },
                    Question {
                        id: s("living_situation"),
                        label: t("Waar woont het kind of de jongere?", Some("Where does the child or young person live?")),
                        help: Some(t("Gaat het verhaal over jezelf? Kies dan waar jij woont.", Some("Is the story about you? Then choose where you live."))),
                        required: false,
                        prefillable: false,
                        visible_if: None,
                        kind: QuestionKind::SingleChoice {
                            options: vec![
                                option("at_home", "Thuis, bij ouders of verzorgers", Some("At home, with parents or carers")),
                                option("foster_or_family_home", "In een pleeggezin of gezinshuis", Some("In a foster family or family home")),
                                option("institution_or_protected_living", "In een leefgroep, instelling of beschermd wonen", Some("In a residential group, institution or supported housing")),
                                option("other", "Ergens anders", Some("Somewhere else")),
                            ],
                        },
                    },
                    Question {
                        id: s("organisation"),
                        label: t("Over welke organisatie gaat je verhaal?", Some("Which organisation is your story about?")),
                        help: Some(t("Bijvoorbeeld een school of een plek waar je hulp kreeg. Je mag dit ook leeg laten.", Some("For example a school or a place where you got help. You may also leave this empty."))),
                        required: false,
                        prefillable: true,
                        visible_if: None,
                        kind: QuestionKind::ShortText { max_length: 200 },
                    },
                    Question {
                        id: s("organisation_type"),
                        label: t("Wat voor organisatie is dat?", Some("What kind of organisation is it?")),
                        help: None,
                        required: false,
                        prefillable: true,
                        visible_if: None,
                        kind: QuestionKind::SingleChoice {
                            options: vec![
                                option("care_provider", "Jeugdhulp of zorg", Some("Youth care or other care")),
                                option("neighbourhood_team", "Wijkteam", Some("Neighbourhood team")),
                                option("school", "School", Some("School")),
                                option("gp", "Huisarts", Some("Family doctor (GP)")),
                                option("municipality", "Gemeente", Some("Municipality")),
                                option("youth_protection", "Jeugdbescherming", Some("Child protection service")),
                                option("other", "Iets anders", Some("Something else")),
                            ],
                        },
                    },
                ],
            },
        ],
    }
}
