//! Accounts: e-mail addresses, display names, passwords and the functions people hold in a collectivity.

use std::fmt;

use super::text::clean_line;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts `local@domain.tld`, lowercased; the check is deliberately simple: the real proof is the e-mail
    /// that must be received.
    pub fn parse(input: &str) -> Result<Self, String> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err("Indiquez une adresse électronique.".into());
        }
        if email.len() > 254 {
            return Err("L’adresse électronique est trop longue (254 caractères au plus).".into());
        }
        let valid = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && email.chars().all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[],;:\"\\".contains(c))
            }
            None => false,
        };
        if valid {
            Ok(EmailAddress(email))
        } else {
            Err("L’adresse électronique n’est pas valide (exemple : prenom.nom@mairie.fr).".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, String> {
        let name = clean_line(input).ok_or("Le nom contient des caractères non autorisés.")?;
        match name.chars().count() {
            0 => Err("Indiquez votre nom.".into()),
            n if n > 120 => Err("Le nom est trop long (120 caractères au plus).".into()),
            _ => Ok(DisplayName(name)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as chosen by its owner. Length is what matters (ANSSI, NIST 800-63B); no composition rules.
pub struct NewPassword(String);

pub const PASSWORD_MIN_CHARS: usize = 10;

impl NewPassword {
    pub fn parse(password: &str, confirmation: &str) -> Result<Self, String> {
        let chars = password.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            return Err(format!("Le mot de passe doit compter au moins {PASSWORD_MIN_CHARS} caractères."));
        }
        if chars > 200 {
            return Err("Le mot de passe est trop long (200 caractères au plus).".into());
        }
        if password != confirmation {
            return Err("Les deux mots de passe saisis ne sont pas identiques.".into());
        }
        Ok(NewPassword(password.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What a member is in their collectivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Elu,
    Agent,
}

impl Function {
    pub const ALL: [Function; 2] = [Function::Elu, Function::Agent];

    pub fn parse(code: &str) -> Result<Self, String> {
        match code {
            "elu" => Ok(Function::Elu),
            "agent" => Ok(Function::Agent),
            _ => Err("Choisissez « élu·e » ou « agent ».".into()),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Function::Elu => "elu",
            Function::Agent => "agent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Function::Elu => "Élu·e",
            Function::Agent => "Agent",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_lowercased_and_checked() {
        assert_eq!(EmailAddress::parse(" Marie@Blois.FR ").map(|e| e.0), Ok("marie@blois.fr".into()));
        for bad in ["", "marie", "marie@", "@blois.fr", "marie@blois", "ma rie@blois.fr", "a@b@c.fr", "<x>@a.fr"] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn password_needs_length_and_confirmation() {
        assert!(NewPassword::parse("court", "court").is_err());
        assert!(NewPassword::parse("assez-long-1", "assez-long-2").is_err());
        assert!(NewPassword::parse("assez-long-1", "assez-long-1").is_ok());
    }

    #[test]
    fn display_name_is_required_and_bounded() {
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(121)).is_err());
        assert_eq!(DisplayName::parse(" Élise  Martin ").map(|n| n.0), Ok("Élise Martin".into()));
    }
}
