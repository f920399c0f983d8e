//! The people of a demo organisation: the small one by name, the large one from lists of names,
//! time zones and titles; their e-mail addresses.

use super::DEMO_DOMAIN;

pub(super) const FIRST: &[&str] = &[
    "Amara", "Bao", "Carmen", "Dmitri", "Elif", "Farah", "Gustavo", "Hana", "Ibrahim", "Jonas", "Keiko", "Lars", "Mei", "Nadia", "Omar",
    "Priya", "Quentin", "Rosa", "Santiago", "Tamsin", "Uche", "Valeria", "Wen", "Ximena", "Yusuf", "Zofia", "Aditya", "Beatriz", "Chidi",
    "Dalia", "Emeka", "Freya", "Goran", "Helga", "Ines", "Jae", "Kofi", "Leila", "Mateo", "Noor", "Olu", "Paulina", "Rafael", "Sanna",
    "Tariq", "Ulla", "Vikram", "Wanjiru", "Yara", "Zeynep",
];
pub(super) const LAST: &[&str] = &[
    "Abebe",
    "Bergström",
    "Castillo",
    "Dubois",
    "Eze",
    "Fischer",
    "García",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Silva",
    "Tanaka",
    "Umarov",
    "Varga",
    "Wiśniewski",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Achebe",
    "Bianchi",
    "Chen",
    "Da Costa",
    "Esposito",
    "Fernández",
    "Gupta",
    "Hoang",
    "Iyer",
    "Joshi",
    "Kim",
    "Lopez",
    "Moreau",
    "Novak",
    "O'Brien",
    "Park",
    "Rossi",
    "Sato",
    "Torres",
    "Usman",
    "Vogel",
    "Weber",
    "Yamamoto",
    "Zulu",
];
pub(super) const ZONES: &[&str] = &[
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Europe/Warsaw",
    "America/Los_Angeles",
    "Africa/Lagos",
    "Asia/Tokyo",
];
pub(super) const IC_TITLES: &[&str] = &[
    "Software Engineer",
    "Senior Software Engineer",
    "Staff Engineer",
    "Site Reliability Engineer",
    "Product Designer",
    "QA Engineer",
    "Data Engineer",
    "Frontend Engineer",
];

/// The small organisation: a director, four managers, twenty teammates, an admin.
/// (name, title, timezone, index of manager in this list)
pub(super) const SMALL: &[(&str, &str, &str, Option<usize>)] = &[
    ("Maya Okafor", "Director of Engineering", "Europe/London", None),
    ("Tomás Herrera", "Engineering Manager, Payments", "Europe/Madrid", Some(0)),
    ("Aiko Tanaka", "Engineering Manager, Platform", "Europe/Berlin", Some(0)),
    ("Samuel Mensah", "Engineering Manager, Mobile", "Africa/Accra", Some(0)),
    ("Ingrid Larsen", "Engineering Manager, Data", "Europe/Oslo", Some(0)),
    ("Priya Raman", "Senior Software Engineer", "Europe/London", Some(1)),
    ("Luca Bianchi", "Software Engineer", "Europe/Rome", Some(1)),
    ("Hannah Weiss", "Software Engineer", "Europe/Berlin", Some(1)),
    ("Diego Alvarez", "Staff Engineer", "America/Mexico_City", Some(1)),
    ("Fatima Zahra", "QA Engineer", "Africa/Casablanca", Some(1)),
    ("Jonas Becker", "Site Reliability Engineer", "Europe/Berlin", Some(2)),
    ("Mei Lin", "Senior Software Engineer", "Asia/Singapore", Some(2)),
    ("Oskar Nowak", "Software Engineer", "Europe/Warsaw", Some(2)),
    ("Grace Adeyemi", "Software Engineer", "Africa/Lagos", Some(2)),
    ("Rohan Mehta", "Senior Software Engineer", "Asia/Kolkata", Some(2)),
    ("Chloé Martin", "Mobile Engineer", "Europe/Paris", Some(3)),
    ("Kwame Boateng", "Mobile Engineer", "Africa/Accra", Some(3)),
    ("Sofia Costa", "Product Designer", "Europe/Lisbon", Some(3)),
    ("Ethan Brooks", "Senior Mobile Engineer", "America/New_York", Some(3)),
    ("Nadia Haddad", "Data Engineer", "Asia/Beirut", Some(4)),
    ("Erik Lindqvist", "Senior Data Engineer", "Europe/Stockholm", Some(4)),
    ("Yuki Sato", "Analytics Engineer", "Asia/Tokyo", Some(4)),
    ("Marta Kowalska", "Data Engineer", "Europe/Warsaw", Some(4)),
    ("Ben Carter", "IT Administrator", "Europe/London", Some(0)),
];

pub(super) fn email_for(name: &str, n: Option<usize>) -> String {
    let ascii: String = name
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' => Some(c),
            ' ' | '-' => Some('.'),
            'á' | 'à' | 'ä' | 'å' => Some('a'),
            'é' | 'è' => Some('e'),
            'í' => Some('i'),
            'ó' | 'ö' => Some('o'),
            'ú' | 'ü' => Some('u'),
            'ś' => Some('s'),
            'ç' => Some('c'),
            _ => None,
        })
        .collect();
    match n {
        Some(n) => format!("{ascii}.{n}@{DEMO_DOMAIN}"),
        None => format!("{ascii}@{DEMO_DOMAIN}"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::DEMO_DOMAIN;
    use super::*;

    #[test]
    fn demo_emails_are_plain_ascii() {
        assert_eq!(email_for("Chloé Martin", None), format!("chloe.martin@{DEMO_DOMAIN}"));
        assert_eq!(email_for("Da Costa O'Brien", Some(3)), format!("da.costa.obrien.3@{DEMO_DOMAIN}"));
        for (name, _, tz, _) in SMALL {
            assert!(crate::domain::EmailAddress::parse(&email_for(name, None)).is_ok());
            assert!(crate::domain::Zone::parse(tz).is_ok(), "{tz}");
        }
        for tz in ZONES {
            assert!(crate::domain::Zone::parse(tz).is_ok(), "{tz}");
        }
    }
}
