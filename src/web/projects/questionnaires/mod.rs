//! Questionnaires of the inquiry groups, one file per feature, as the diagnostic has its folder: the builder
//! (`builder`: create, add and edit questions, sections, the proposed profile, publication, copies), results per
//! question (`results`), the coverage of publics and its targets (`coverage`), the comparison across the project's
//! territories (`comparison`), interviews and paper forms recorded by the group (`interviews`), the responses'
//! CSV and XLSX exports and codebook (`export`), XLSForm import and export (`xlsform`) and single-use invitations
//! (`invitations`). Answering by the public link is `web::survey`. Who reaches a questionnaire's pages is
//! `projects::access::questionnaire_and_access`; their URLs are below `projects::paths::builder_path`.

pub mod builder;
pub mod comparison;
pub mod coverage;
pub mod export;
pub mod interviews;
pub mod invitations;
pub mod results;
pub mod summary;
pub mod xlsform;

/// A share as French read it: "42 %", "4,5 %".
pub fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        return "—".into();
    }
    let value = part as f64 * 100.0 / whole as f64;
    let text = if (value - value.round()).abs() < 0.05 { format!("{value:.0}") } else { format!("{value:.1}") };
    format!("{} %", text.replace('.', ","))
}
