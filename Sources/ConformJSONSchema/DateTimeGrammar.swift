/// RFC 3339 §5.6 dates and times, for the `date-time`, `date` and `time` formats.
///
///     date-time = full-date "T" full-time        ; "T" and "Z" in either case (RFC 3339 §5.6 note)
///     full-date = YYYY "-" MM "-" DD            ; the day exists in that month and year
///     full-time = HH ":" MM ":" SS ["." 1*DIGIT] ("Z" / ("+" / "-") HH ":" MM)
///
/// A second of 60 is a leap second, allowed only where the time is 23:59 in UTC once the offset is
/// applied (`15:59:60-08:00` is valid, `23:59:60+01:00` is not). Digits are ASCII only.
enum DateTimeGrammar {
    static func isDateTime(_ scalars: [Unicode.Scalar]) -> Bool {
        guard scalars.count > 11, scalars[10] == "T" || scalars[10] == "t" else { return false }
        return isDate(scalars[..<10]) && isTime(scalars[11...])
    }

    static func isDate(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        let text = Array(scalars)
        guard text.count == 10, text[4] == "-", text[7] == "-",
            let year = number(text[0..<4]), let month = number(text[5..<7]), let day = number(text[8..<10]),
            (1...12).contains(month), day >= 1
        else { return false }
        return day <= daysIn(month: month, year: year)
    }

    static func isTime(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        let text = Array(scalars)
        guard text.count >= 9, text[2] == ":", text[5] == ":",
            let hour = number(text[0..<2]), let minute = number(text[3..<5]), let second = number(text[6..<8]),
            hour <= 23, minute <= 59, second <= 60
        else { return false }
        var index = 8
        if text[index] == "." {
            index += 1
            let start = index
            while index < text.count, isDigit(text[index]) { index += 1 }
            guard index > start else { return false }
        }
        guard index < text.count else { return false }
        var offsetMinutes = 0
        switch text[index] {
        case "Z", "z":
            guard index == text.count - 1 else { return false }
        case "+", "-":
            let offset = text[(index + 1)...]
            guard offset.count == 5, offset[offset.startIndex + 2] == ":",
                let offsetHour = number(offset.prefix(2)), let offsetMinute = number(offset.suffix(2)),
                offsetHour <= 23, offsetMinute <= 59
            else { return false }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (text[index] == "+" ? 1 : -1)
        default:
            return false
        }
        guard second == 60 else { return true }
        let utcMinutes = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
        return utcMinutes == 23 * 60 + 59
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// The value of a run of ASCII digits, or nil.
    private static func number(_ digits: ArraySlice<Unicode.Scalar>) -> Int? {
        var value = 0
        for digit in digits {
            guard isDigit(digit) else { return nil }
            value = value * 10 + Int(digit.value - 0x30)
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
