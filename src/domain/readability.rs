//! A readability hint for texts addressed to inhabitants, the restitution first: a text read once, by people who
//! did not sit in the meetings, needs short sentences and everyday words. It counts and lists; the writer decides.

use super::text::fold;

/// What a text says of its own readability.
#[derive(Debug, Clone, PartialEq)]
pub struct Readability {
    pub sentences: usize,
    pub words: usize,
    /// Sentences of more than LONG_SENTENCE words, as their first eight words followed by « … ».
    pub long_sentences: Vec<String>,
    /// Jargon words found (as written in the text, each once, in order of first appearance) with a plainer word to use.
    pub jargon: Vec<(String, &'static str)>,
    /// Acronyms found (2+ capital letters, e.g. EPCI, ANCT, QPV), each once, in order — readers may not know them.
    pub acronyms: Vec<String>,
}

/// Past this many words a sentence is usually reread, which a reader who is not paid to read rarely does.
pub const LONG_SENTENCE: usize = 25;
/// Plain-language guides aim at about 15 words a sentence; a mean above 20 reads as administrative prose.
const AIMED_MEAN: usize = 15;
const LONG_MEAN: f64 = 20.0;
/// Enough words to recognise a sentence in one's own text.
const EXCERPT_WORDS: usize = 8;

/// Folded words that a dot follows without ending the sentence (« M. Dupont », « voir p. 12 »). Single letters, as
/// initials (« J. Martin ») and « c.-à-d. », are handled apart; « etc. » too, since it often ends a sentence.
const ABBREVIATIONS: &[&str] =
    &["m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "st", "ste", "p", "pp", "cf", "ex", "av", "bd", "env"];

/// Capitals everyone reads without help: not worth a warning.
const WELL_KNOWN: &[&str] = &["OK", "TV", "SMS", "PDF", "WC"];

/// Words of insiders, as folded singular forms (see `inflects` for the plurals, feminines and verb forms), with a
/// word the people addressed use. A phrase is written with single spaces, as `fold` leaves it.
const JARGON: &[(&[&str], &str)] = &[
    (&["gouvernance"], "qui décide"),
    (&["diagnostic"], "état des lieux"),
    (&["thematique"], "sujet"),
    (&["dispositif"], "aide, service"),
    (&["levier"], "moyen"),
    (&["co construction", "coconstruction"], "travail ensemble"),
    (&["co construire", "coconstruire", "co construit", "coconstruit"], "construire ensemble"),
    (&["transversal"], "qui concerne plusieurs services"),
    (&["operationnel"], "concret"),
    (&["problematique"], "problème"),
    (&["mutualisation"], "mise en commun"),
    (&["mutualise"], "mettre en commun"),
    (&["acteur", "actrice"], "ceux qui agissent : associations, services, habitants"),
    (&["partie prenante"], "personnes concernées"),
    (&["appropriation"], "prise en main"),
    (&["ingenierie"], "savoir-faire"),
    (&["territorialise"], "local"),
    (&["mobilise"], "faire venir, réunir"),
    (&["synergie"], "travail en commun"),
    (&["pilotage"], "conduite"),
    (&["impulse"], "lancer"),
    (&["deploye", "deploie"], "mettre en place"),
    (&["deploiement"], "mise en place"),
    (&["optimise"], "améliorer"),
    (&["priorise"], "choisir l’ordre"),
    (&["en amont"], "avant"),
    (&["en aval"], "après"),
    (&["beneficiaire"], "personne aidée"),
    (&["usager"], "habitant, personne"),
    (&["public cible"], "personnes visées"),
    (&["indicateur"], "chiffre suivi"),
    (&["evaluation"], "bilan"),
    (&["partenarial"], "avec des partenaires"),
    (&["structurant"], "important"),
    (&["intercommunalite"], "communauté de communes ou d’agglomération"),
    (&["feuille de route"], "programme"),
    (&["livrable"], "document"),
    (&["referentiel"], "liste de repères"),
    (&["preconisation"], "conseil"),
    (&["porteur de projet", "porteuse de projet"], "personne qui mène le projet"),
    (&["maitrise d ouvrage"], "qui commande les travaux"),
    (&["maitrise d oeuvre"], "qui conçoit et suit les travaux"),
    (&["mise en oeuvre"], "réalisation"),
    (&["operateur"], "organisme chargé de l’action"),
    (&["cofinancement", "co financement"], "financement à plusieurs"),
    (&["inclusif", "inclusive"], "ouvert à tous"),
    (&["accompagnement"], "aide, suivi"),
    (&["frein peripherique"], "difficulté du quotidien"),
    (&["valorise"], "mettre en avant"),
    (&["sensibilise"], "informer"),
    (&["arbitrage"], "choix"),
    (&["impact"], "effet"),
    (&["enjeu"], "ce qui compte"),
    (&["modalite"], "façon de faire"),
    (&["verbatim"], "paroles rapportées"),
    (&["focus group"], "groupe de discussion"),
    (&["expertise d usage"], "ce que les habitants savent de leur quartier"),
];

/// A word or a part of one, as a byte range of the text.
type Span = (usize, usize);

/// Reads a text, Markdown or not, and says what may stop an inhabitant.
pub fn assess(text: &str) -> Readability {
    let sentences = sentences(text);
    let words: Vec<Span> = sentences.iter().flatten().copied().collect();
    Readability {
        sentences: sentences.len(),
        words: words.len(),
        long_sentences: sentences.iter().filter(|s| s.len() > LONG_SENTENCE).map(|s| excerpt(text, s)).collect(),
        jargon: jargon(text, &words),
        acronyms: acronyms(text, &sentences),
    }
}

impl Readability {
    /// Mean words per sentence (0 for an empty text).
    pub fn mean_sentence_words(&self) -> f64 {
        if self.sentences == 0 {
            0.0
        } else {
            self.words as f64 / self.sentences as f64
        }
    }

    /// Advice in French, one sentence each, empty when the text reads well.
    pub fn advice(&self) -> Vec<String> {
        let mut advice = Vec::new();
        match self.long_sentences.len() {
            0 => {}
            1 => advice.push(format!("Une phrase dépasse {LONG_SENTENCE} mots : coupez-la en deux.")),
            n => advice.push(format!("{n} phrases dépassent {LONG_SENTENCE} mots : coupez-les en deux.")),
        }
        if !self.jargon.is_empty() {
            let words: Vec<String> = self
                .jargon
                .iter()
                .map(|(word, plain)| format!("{} (dites plutôt {})", quoted(word), quoted(plain)))
                .collect();
            let what = if words.len() == 1 { "Un mot d’initiés" } else { "Des mots d’initiés" };
            advice.push(format!("{what} : {}.", words.join(", ")));
        }
        if let [acronym] = self.acronyms.as_slice() {
            advice.push(format!(
                "Un sigle que tout le monde ne connaît pas : {acronym}. Écrivez-le en toutes lettres la première fois."
            ));
        } else if !self.acronyms.is_empty() {
            advice.push(format!(
                "Des sigles que tout le monde ne connaît pas : {}. Écrivez-les en toutes lettres la première fois.",
                self.acronyms.join(", ")
            ));
        }
        let mean = self.mean_sentence_words();
        if mean > LONG_MEAN {
            advice.push(format!("Les phrases font {mean:.0} mots en moyenne : visez {AIMED_MEAN}."));
        }
        advice
    }
}

/// French quotes with narrow no-break spaces, as `text::french_quotes` writes them.
fn quoted(text: &str) -> String {
    format!("«\u{202f}{text}\u{202f}»")
}

/// The sentences of a text, each as the spans of its words. A sentence ends at « . ! ? … », at a blank line, and
/// at the end of a heading or a list item, which need no final stop; a line break alone does not end one, since
/// Markdown paragraphs are often wrapped by hand.
fn sentences(text: &str) -> Vec<Vec<Span>> {
    let (mut sentences, mut current) = (Vec::new(), Vec::new());
    let mut close = |current: &mut Vec<Span>| {
        if !current.is_empty() {
            sentences.push(std::mem::take(current));
        }
    };
    let mut line_start = 0;
    for line in text.split('\n') {
        let (marker, own) = line_marker(line);
        if own || line.trim().is_empty() {
            close(&mut current);
        }
        let (mut pos, end) = (line_start + marker, line_start + line.len());
        while let Some(c) = text[pos..end].chars().next() {
            if c.is_alphanumeric() {
                let word_end = word_end(text, pos, end);
                current.push((pos, word_end));
                pos = word_end;
                continue;
            }
            if matches!(c, '!' | '?' | '…') || c == '.' && dot_ends(text, current.last().copied(), pos) {
                close(&mut current);
            }
            pos += c.len_utf8();
        }
        if own {
            close(&mut current);
        }
        line_start = end + 1;
    }
    close(&mut current);
    sentences
}

/// How a Markdown line starts: the bytes before its text that hold no word (a numbered item's « 1. », whose dot
/// ends nothing), and whether the line stands as a sentence of its own: a heading, or a list item (« - », « * »
/// or « + » and a space, so that « **gras** » and « -5 °C » stay text).
fn line_marker(line: &str) -> (usize, bool) {
    let body = line.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
    let skipped = line.len() - body.len();
    let mut chars = body.chars();
    let bullet = matches!(chars.next(), Some('-' | '*' | '+')) && chars.next().is_some_and(char::is_whitespace);
    if body.starts_with('#') || bullet {
        return (skipped, true);
    }
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && (body[digits..].starts_with(". ") || body[digits..].starts_with(") ")) {
        return (skipped + digits + 1, true);
    }
    (skipped, false)
}

/// The end of the word starting at `start`: letters and digits, joined by apostrophes, hyphens and the middle dot
/// of inclusive writing (« l’école », « peut-être », « habitant·es »), and by a dot or a comma inside a number
/// (« 12.5 », « 1.200 », « 3,5 »).
fn word_end(text: &str, start: usize, limit: usize) -> usize {
    let mut chars = text[start..limit].char_indices().peekable();
    let (mut end, mut previous) = (start, ' ');
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            (end, previous) = (start + i + c.len_utf8(), c);
            continue;
        }
        let next = chars.peek().map(|&(_, n)| n);
        let joins = match c {
            '\'' | '’' | '-' | '\u{2011}' | '·' => next.is_some_and(char::is_alphanumeric),
            '.' | ',' => previous.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
            _ => false,
        };
        if !joins {
            break;
        }
    }
    end
}

/// Whether the dot at byte `dot` ends its sentence. Not in an address (« ville.fr »: a letter follows), nor after
/// an abbreviation or an initial written against it; after « etc. » only when a capital follows.
fn dot_ends(text: &str, last_word: Option<Span>, dot: usize) -> bool {
    let after = &text[dot + 1..];
    if after.starts_with(|c: char| c.is_alphanumeric() || c == '-') {
        return false;
    }
    let Some((start, end)) = last_word.filter(|&(_, end)| end == dot) else { return true };
    let last = text[start..end].rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
    let folded = fold(last);
    if folded == "etc" {
        return after.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase);
    }
    let initial = last.chars().count() == 1 && last.chars().all(char::is_alphabetic);
    !initial && !ABBREVIATIONS.contains(&folded.as_str())
}

/// A long sentence as its writer will recognise it: its first words as written, spaces collapsed.
fn excerpt(text: &str, words: &[Span]) -> String {
    let (start, end) = (words[0].0, words[EXCERPT_WORDS - 1].1);
    format!("{}…", text[start..end].split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The parts of a word between its apostrophes and hyphens (« l’ANCT » → « l », « ANCT »).
fn parts(text: &str, (start, end): Span) -> Vec<Span> {
    let (mut parts, mut part_start) = (Vec::new(), None);
    for (i, c) in text[start..end].char_indices().chain([(end - start, ' ')]) {
        match (c.is_alphanumeric(), part_start) {
            (true, None) => part_start = Some(start + i),
            (false, Some(s)) => {
                parts.push((s, start + i));
                part_start = None;
            }
            _ => {}
        }
    }
    parts
}

/// Whether a folded word is `base` or one of its forms: plural and feminine (« dispositifs », « transversale »,
/// « transversaux », « opérationnelles », « enjeux »), and for a verb given by its stem ending in e (« mobilise »),
/// the infinitive and the forms in z and nt (« mobiliser », « mobilisez », « mobilisent », « mobilisées »).
fn inflects(word: &str, base: &str) -> bool {
    if base.strip_suffix("al").is_some_and(|stem| word.strip_prefix(stem) == Some("aux")) {
        return true;
    }
    word.strip_prefix(base).is_some_and(|rest| {
        matches!(rest, "" | "s" | "x" | "e" | "es" | "r" | "z" | "nt")
            || base.ends_with('l') && matches!(rest, "le" | "les")
    })
}

/// The jargon of a text, matched on folded words so that case and accents do not matter, each entry once.
fn jargon(text: &str, words: &[Span]) -> Vec<(String, &'static str)> {
    let tokens: Vec<(String, Span)> = words
        .iter()
        .flat_map(|&word| parts(text, word))
        .flat_map(|part| fold(&text[part.0..part.1]).split(' ').map(|t| (t.to_owned(), part)).collect::<Vec<_>>())
        .collect();
    let phrase_len = |at: usize, phrase: &str| {
        let mut n = 0;
        for base in phrase.split(' ') {
            tokens.get(at + n).filter(|(token, _)| inflects(token, base))?;
            n += 1;
        }
        Some(n)
    };
    let (mut found, mut seen) = (Vec::new(), Vec::new());
    let mut at = 0;
    while at < tokens.len() {
        let hit = JARGON.iter().enumerate().find_map(|(entry, (phrases, _))| {
            phrases.iter().find_map(|phrase| phrase_len(at, phrase)).map(|n| (entry, n))
        });
        let Some((entry, n)) = hit else {
            at += 1;
            continue;
        };
        if !seen.contains(&entry) {
            seen.push(entry);
            found.push((text[tokens[at].1 .0..tokens[at + n - 1].1 .1].to_owned(), JARGON[entry].1));
        }
        at += n;
    }
    found
}

/// The acronyms of a text: 2 to 6 capitals or digits after a first capital, with 2 letters at least (« A4 » is a
/// size), not a Roman numeral (« chapitre IV »), not well known. Sentences all in capitals are skipped: there the
/// capitals are a title's or a shout's (« RÉUNION DU QUARTIER »), not a sign of an acronym.
fn acronyms(text: &str, sentences: &[Vec<Span>]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for sentence in sentences {
        let shouting =
            sentence.len() >= 3 && sentence.iter().all(|&(s, e)| !text[s..e].chars().any(char::is_lowercase));
        if shouting {
            continue;
        }
        for (start, end) in sentence.iter().flat_map(|&word| parts(text, word)) {
            let part = &text[start..end];
            let letters = part.chars().filter(char::is_ascii_uppercase).count();
            let acronym = (2..=6).contains(&part.len())
                && part.starts_with(|c: char| c.is_ascii_uppercase())
                && part.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && letters >= 2
                && !part.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
                && !WELL_KNOWN.contains(&part);
            if acronym && !found.iter().any(|a| a == part) {
                found.push(part.to_owned());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_stops_but_not_on_abbreviations_or_numbers() {
        let r = assess(
            "M. Dupont est venu. Il a payé 12.5 euros, soit 1.200 centimes ? Non ! Voir p. 3 etc. pour l’école.",
        );
        assert_eq!((r.sentences, r.words), (4, 19));
        assert_eq!(assess("On a parlé du bus, du vélo, etc. Ensuite, J. Martin a conclu.").sentences, 2);
        assert_eq!(assess("Voir ville.fr, c.-à-d. le site… Fin").sentences, 2);
        let markdown =
            "# Ce qu’on a entendu\n\n- un parc\n* des bancs\n1. des arbres\nUn texte\n> écrit sur deux lignes.";
        let r = assess(markdown);
        assert_eq!((r.sentences, r.words), (5, 16));
        assert_eq!(assess("").mean_sentence_words(), 0.0);
    }

    #[test]
    fn a_long_sentence_is_reported_by_its_first_eight_words() {
        let long = format!("Les habitants du quartier, l’été dernier, ont {} en fin.", "parlé ".repeat(LONG_SENTENCE));
        let just = format!("Ils {}.", "parlent ".repeat(LONG_SENTENCE - 1));
        let r = assess(&format!("{long} {just}"));
        assert_eq!(r.long_sentences, ["Les habitants du quartier, l’été dernier, ont parlé…"]);
        assert_eq!(r.sentences, 2);
    }

    #[test]
    fn jargon_is_found_once_as_written_with_its_plain_word() {
        let r = assess(
            "La Gouvernance des dispositifs. La gouvernance, en amont, des diagnostics partagés. La Co-construction \
             avec les parties prenantes est transversale ; les leviers opérationnels. Le gouvernail, l’amont.",
        );
        let expected = [
            ("Gouvernance", "qui décide"),
            ("dispositifs", "aide, service"),
            ("en amont", "avant"),
            ("diagnostics", "état des lieux"),
            ("Co-construction", "travail ensemble"),
            ("parties prenantes", "personnes concernées"),
            ("transversale", "qui concerne plusieurs services"),
            ("leviers", "moyen"),
            ("opérationnels", "concret"),
        ];
        assert_eq!(r.jargon, expected.map(|(w, p)| (w.to_owned(), p)));
        assert_eq!(assess("Nous avons mobilisé les enjeux partenariaux.").jargon.len(), 3);
    }

    #[test]
    fn the_jargon_list_is_long_and_folded() {
        assert!(JARGON.len() >= 50);
        for phrase in JARGON.iter().flat_map(|(phrases, _)| phrases.iter()) {
            assert_eq!(&fold(phrase), phrase);
        }
    }

    #[test]
    fn acronyms_are_listed_once_without_numerals_nor_shouts() {
        let r = assess("L’EPCI et l’ANCT aident le QPV. L’EPCI paie, voir chapitre IV et XX, format A4, COP21, OK.");
        assert_eq!(r.acronyms, ["EPCI", "ANCT", "QPV", "COP21"]);
        assert!(assess("GRANDE RÉUNION DU QUARTIER").acronyms.is_empty());
    }

    #[test]
    fn a_plain_text_gets_no_advice() {
        let r = assess("Merci à tous d’être venus. Nous avons parlé du parc.\n\nLes jeux seront réparés en mai !");
        assert_eq!(r.sentences, 3);
        assert!(r.advice().is_empty(), "{:?}", r.advice());
    }

    #[test]
    fn advice_says_what_to_change() {
        let sentence = format!("Le {}.", "mot ".repeat(LONG_SENTENCE));
        let r =
            assess(&format!("{sentence} {sentence} {sentence} La gouvernance du diagnostic, avec l’EPCI et le QPV."));
        assert_eq!(
            r.advice(),
            [
                "3 phrases dépassent 25 mots : coupez-les en deux.",
                "Des mots d’initiés : «\u{202f}gouvernance\u{202f}» (dites plutôt «\u{202f}qui décide\u{202f}»), \
                 «\u{202f}diagnostic\u{202f}» (dites plutôt «\u{202f}état des lieux\u{202f}»).",
                "Des sigles que tout le monde ne connaît pas : EPCI, QPV. Écrivez-les en toutes lettres la première fois.",
                "Les phrases font 22 mots en moyenne : visez 15.",
            ]
        );
        let one = assess(&format!("{sentence} Le levier de l’ANCT."));
        assert_eq!(one.advice()[0], "Une phrase dépasse 25 mots : coupez-la en deux.");
        assert_eq!(
            one.advice()[1],
            "Un mot d’initiés : «\u{202f}levier\u{202f}» (dites plutôt «\u{202f}moyen\u{202f}»)."
        );
        assert!(one.advice()[2].starts_with("Un sigle que tout le monde ne connaît pas : ANCT. Écrivez-le"));
        assert_eq!(assess(&"Vingt mots ici. ".repeat(2)).advice(), Vec::<String>::new());
    }
}
