//! A project's steering committee (docs/product.md § Programmes): the partner organisations and their members, who
//! are invited to its meetings and read the working space without acting in it.

use super::account::EmailAddress;
use super::project::one_line;
use super::text::errors_of;

/// What a partner organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerKind {
    ElectedOfficials,
    Ministry,
    Operator,
    Network,
    Research,
    Other,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 6] = [
        PartnerKind::ElectedOfficials,
        PartnerKind::Ministry,
        PartnerKind::Operator,
        PartnerKind::Network,
        PartnerKind::Research,
        PartnerKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PartnerKind::ElectedOfficials => "elected_officials",
            PartnerKind::Ministry => "ministry",
            PartnerKind::Operator => "operator",
            PartnerKind::Network => "network",
            PartnerKind::Research => "research",
            PartnerKind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Result<PartnerKind, String> {
        PartnerKind::ALL
            .into_iter()
            .find(|k| k.code() == code.trim())
            .ok_or_else(|| "Choisissez le type de partenaire dans la liste.".into())
    }

    pub fn label(self) -> &'static str {
        match self {
            PartnerKind::ElectedOfficials => "Association d’élus",
            PartnerKind::Ministry => "Ministère",
            PartnerKind::Operator => "Opérateur de l’État",
            PartnerKind::Network => "Réseau national",
            PartnerKind::Research => "Recherche",
            PartnerKind::Other => "Autre partenaire",
        }
    }
}

/// A partner organisation, as the leads add it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPartner {
    pub name: String,
    pub kind: PartnerKind,
}

impl NewPartner {
    pub fn parse(name: &str, kind: &str) -> Result<NewPartner, Vec<(&'static str, String)>> {
        match (one_line(name, "Le nom du partenaire", 2, 150), PartnerKind::parse(kind)) {
            (Ok(name), Ok(kind)) => Ok(NewPartner { name, kind }),
            (name, kind) => Err(errors_of(vec![("name", name.err()), ("kind", kind.err())])),
        }
    }
}

/// A member of a partner on the committee: the address is needed, it is where meetings are sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommitteeMember {
    pub display_name: String,
    pub function: String,
    pub email: EmailAddress,
}

impl NewCommitteeMember {
    pub fn parse(display_name: &str, function: &str, email: &str) -> Result<Self, Vec<(&'static str, String)>> {
        let display_name = one_line(display_name, "Le nom", 2, 100);
        let function = one_line(function, "La fonction", 0, 150);
        let email = match email.trim() {
            "" => Err("L’adresse électronique est obligatoire : les invitations aux réunions y sont envoyées.".into()),
            email => EmailAddress::parse(email),
        };
        match (display_name, function, email) {
            (Ok(display_name), Ok(function), Ok(email)) => Ok(NewCommitteeMember { display_name, function, email }),
            (display_name, function, email) => Err(errors_of(vec![
                ("display_name", display_name.err()),
                ("function", function.err()),
                ("email", email.err()),
            ])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_and_members_are_checked() {
        assert_eq!(
            NewPartner::parse("  Intercommunalités de France ", "elected_officials"),
            Ok(NewPartner { name: "Intercommunalités de France".into(), kind: PartnerKind::ElectedOfficials })
        );
        let errors = NewPartner::parse("X", "syndicat").unwrap_err();
        assert_eq!(errors.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["name", "kind"]);
        let errors = NewCommitteeMember::parse("Jeanne Martin", "Cheffe de bureau", "").unwrap_err();
        assert!(errors[0].1.contains("obligatoire"), "{errors:?}");
        assert!(NewCommitteeMember::parse("Jeanne Martin", "", "jeanne.martin@anct.gouv.fr").is_ok());
        for kind in PartnerKind::ALL {
            assert_eq!(PartnerKind::parse(kind.code()), Ok(kind));
        }
    }
}
