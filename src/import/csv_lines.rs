//! Line numbers of CSV records as a person finds them in an editor or a spreadsheet.
//!
//! The csv crate counts a line at each `\n` it consumes, and with Windows endings (`\r\n`: the official communes
//! file, and what most spreadsheets export) it ends a record at the `\r` and leaves the `\n` to the next read, so
//! every record but the first is said to start on the line before its own (BurntSushi/rust-csv#395). Every reader
//! that names lines counts them here instead, from the bytes themselves.

/// Counts line breaks (`\r\n`, `\n`, or a lone `\r`, the three endings the csv crate accepts) up to each record.
/// Records are asked for in the order they are read, so the whole file is scanned once.
pub struct CsvLines<'a> {
    bytes: &'a [u8],
    /// Bytes before this offset are counted; it never falls between the `\r` and the `\n` of one ending.
    counted_to: usize,
    line: u64,
}

impl<'a> CsvLines<'a> {
    /// `bytes` must be exactly what the csv reader reads, so that its byte offsets point into them.
    pub fn new(bytes: &'a [u8]) -> Self {
        CsvLines { bytes, counted_to: 0, line: 1 }
    }

    /// The line on which the record (or the error) at `position` starts.
    pub fn line_of(&mut self, position: &csv::Position) -> u64 {
        let offset = usize::try_from(position.byte()).unwrap_or(usize::MAX).min(self.bytes.len());
        // The reader's offset for a record is where its read began: before the `\n` of the previous `\r\n` and
        // before any blank lines it skips. The record itself starts at the first byte that ends no line.
        let start = self.bytes[offset..]
            .iter()
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(self.bytes.len(), |skipped| offset + skipped);
        if start < self.counted_to {
            self.counted_to = 0;
            self.line = 1;
        }
        let mut previous_cr = false;
        for &byte in &self.bytes[self.counted_to..start] {
            match byte {
                b'\n' if previous_cr => {}
                b'\n' | b'\r' => self.line += 1,
                _ => {}
            }
            previous_cr = byte == b'\r';
        }
        self.counted_to = start;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line each record starts on, read as the importers read.
    fn lines(text: &str) -> Vec<u64> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let mut counter = CsvLines::new(text.as_bytes());
        reader.records().map(|r| counter.line_of(r.unwrap().position().unwrap())).collect()
    }

    #[test]
    fn every_ending_gives_the_lines_an_editor_shows() {
        let expected = [2, 3, 5, 8];
        // Line 4 is blank; the record of line 5 holds a quoted field that spans lines 5 to 7.
        for ending in ["\n", "\r\n", "\r"] {
            let text = ["a,b", "1,2", "3,4", "", "5,\"x", "y", "z\"", "7,8"].join(ending);
            assert_eq!(lines(&text), expected, "without a final ending, {ending:?}");
            assert_eq!(lines(&format!("{text}{ending}")), expected, "with a final ending, {ending:?}");
        }
    }

    #[test]
    fn the_counter_reads_the_reader_s_own_offsets_past_a_crlf() {
        // What the csv crate alone says: the second data row of a CRLF file on line 2, not 3. Should the crate be
        // fixed, this assertion fails, and the counter can go.
        let text = "a,b\r\n1,2\r\n3,4\r\n";
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows[1].position().unwrap().line(), 2);
        let mut counter = CsvLines::new(text.as_bytes());
        assert_eq!(rows.iter().map(|r| counter.line_of(r.position().unwrap())).collect::<Vec<_>>(), [2, 3]);
    }
}
