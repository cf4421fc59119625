//! Imports of official files. Parsing is pure (file → validated rows + errors with their line); storing happens in
//! one transaction, so a rejected import writes nothing.

pub mod boundaries;
pub mod csv_lines;
pub mod directory;
pub mod places;
pub mod plan;
pub mod territories;

/// Text from an uploaded file: UTF-8, or Windows-1252 as spreadsheets in French still save CSV.
pub fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|b| windows_1252(*b)).collect(),
    }
}

fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[(byte - 0x80) as usize],
        _ => char::from(byte),
    }
}
