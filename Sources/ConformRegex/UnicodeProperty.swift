/// A Unicode property that `\p{…}` names: a general category (or a group of them) or a binary property.
///
/// ECMA-262 accepts `\p{Letter}`, `\p{L}`, `\p{gc=L}`, `\p{General_Category=Letter}` and binary properties
/// such as `\p{Alphabetic}`. The values come from the Swift standard library's Unicode tables. Script
/// properties (`\p{Script=Greek}`) are valid ECMA-262 that Swift does not expose: ``lookUp(_:)`` reports them
/// as unsupported.
enum UnicodeProperty: Sendable {
    /// One bit per category, in the order of ``categoryOrder``.
    case generalCategories(UInt32)
    case binary(BinaryProperty)
    case any
    case ascii
    case assigned

    enum BinaryProperty: Sendable {
        case alphabetic, asciiHexDigit, bidiControl, bidiMirrored, cased, caseIgnorable, dash
        case defaultIgnorableCodePoint, deprecated, diacritic, emoji, emojiModifier, emojiModifierBase
        case emojiPresentation, extender, hexDigit, idContinue, idStart, ideographic, joinControl
        case lowercase, math, noncharacterCodePoint, patternSyntax, patternWhiteSpace, quotationMark
        case radical, sentenceTerminal, softDotted, terminalPunctuation, unifiedIdeograph, uppercase
        case variationSelector, whiteSpace, xidContinue, xidStart
        case changesWhenCasefolded, changesWhenCasemapped, changesWhenLowercased, changesWhenNFKCCasefolded
        case changesWhenTitlecased, changesWhenUppercased, graphemeBase, graphemeExtend, idsBinaryOperator
        case idsTrinaryOperator, logicalOrderException
    }

    enum LookUp {
        case found(UnicodeProperty)
        /// Valid in ECMA-262, not available here; the text says which.
        case unsupported(String)
        case unknown
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch self {
        case .generalCategories(let mask):
            return mask & Self.bit(scalar.properties.generalCategory) != 0
        case .binary(let property):
            return property.holds(for: scalar.properties)
        case .any:
            return true
        case .ascii:
            return scalar.isASCII
        case .assigned:
            return scalar.properties.generalCategory != .unassigned
        }
    }

    /// The property that the text between `\p{` and `}` names.
    static func lookUp(_ text: String) -> LookUp {
        if let equals = text.firstIndex(of: "=") {
            let name = String(text[..<equals])
            let value = String(text[text.index(after: equals)...])
            switch name {
            case "General_Category", "gc":
                return categories(value).map { .found(.generalCategories($0)) } ?? .unknown
            case "Script", "sc", "Script_Extensions", "scx":
                return .unsupported("script property \\p{\(text)} is not supported")
            default:
                return .unknown
            }
        }
        if let mask = categories(text) { return .found(.generalCategories(mask)) }
        switch text {
        case "Any": return .found(.any)
        case "ASCII": return .found(.ascii)
        case "Assigned": return .found(.assigned)
        default: break
        }
        if let binary = binaryProperties[text] { return .found(.binary(binary)) }
        if unsupportedBinaryProperties.contains(text) {
            return .unsupported("Unicode property \\p{\(text)} is not supported")
        }
        return .unknown
    }

    // MARK: - General categories

    private static let categoryOrder: [Unicode.GeneralCategory] = [
        .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
        .nonspacingMark, .spacingMark, .enclosingMark,
        .decimalNumber, .letterNumber, .otherNumber,
        .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
        .finalPunctuation, .otherPunctuation,
        .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
        .spaceSeparator, .lineSeparator, .paragraphSeparator,
        .control, .format, .surrogate, .privateUse, .unassigned,
    ]

    private static func bit(_ category: Unicode.GeneralCategory) -> UInt32 {
        guard let index = categoryOrder.firstIndex(of: category) else { return 0 }
        return 1 << UInt32(index)
    }

    private static func mask(_ categories: [Unicode.GeneralCategory]) -> UInt32 {
        categories.reduce(0) { $0 | bit($1) }
    }

    /// ECMA-262's table of General_Category values: long name, short name and the aliases it lists.
    private static func categories(_ name: String) -> UInt32? {
        switch name {
        case "L", "Letter": mask([.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter])
        case "LC", "Cased_Letter": mask([.uppercaseLetter, .lowercaseLetter, .titlecaseLetter])
        case "Lu", "Uppercase_Letter": mask([.uppercaseLetter])
        case "Ll", "Lowercase_Letter": mask([.lowercaseLetter])
        case "Lt", "Titlecase_Letter": mask([.titlecaseLetter])
        case "Lm", "Modifier_Letter": mask([.modifierLetter])
        case "Lo", "Other_Letter": mask([.otherLetter])
        case "M", "Mark", "Combining_Mark": mask([.nonspacingMark, .spacingMark, .enclosingMark])
        case "Mn", "Nonspacing_Mark": mask([.nonspacingMark])
        case "Mc", "Spacing_Mark": mask([.spacingMark])
        case "Me", "Enclosing_Mark": mask([.enclosingMark])
        case "N", "Number": mask([.decimalNumber, .letterNumber, .otherNumber])
        case "Nd", "Decimal_Number", "digit": mask([.decimalNumber])
        case "Nl", "Letter_Number": mask([.letterNumber])
        case "No", "Other_Number": mask([.otherNumber])
        case "P", "Punctuation", "punct":
            mask([
                .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                .finalPunctuation, .otherPunctuation,
            ])
        case "Pc", "Connector_Punctuation": mask([.connectorPunctuation])
        case "Pd", "Dash_Punctuation": mask([.dashPunctuation])
        case "Ps", "Open_Punctuation": mask([.openPunctuation])
        case "Pe", "Close_Punctuation": mask([.closePunctuation])
        case "Pi", "Initial_Punctuation": mask([.initialPunctuation])
        case "Pf", "Final_Punctuation": mask([.finalPunctuation])
        case "Po", "Other_Punctuation": mask([.otherPunctuation])
        case "S", "Symbol": mask([.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol])
        case "Sm", "Math_Symbol": mask([.mathSymbol])
        case "Sc", "Currency_Symbol": mask([.currencySymbol])
        case "Sk", "Modifier_Symbol": mask([.modifierSymbol])
        case "So", "Other_Symbol": mask([.otherSymbol])
        case "Z", "Separator": mask([.spaceSeparator, .lineSeparator, .paragraphSeparator])
        case "Zs", "Space_Separator": mask([.spaceSeparator])
        case "Zl", "Line_Separator": mask([.lineSeparator])
        case "Zp", "Paragraph_Separator": mask([.paragraphSeparator])
        case "C", "Other": mask([.control, .format, .surrogate, .privateUse, .unassigned])
        case "Cc", "Control", "cntrl": mask([.control])
        case "Cf", "Format": mask([.format])
        case "Cs", "Surrogate": mask([.surrogate])
        case "Co", "Private_Use": mask([.privateUse])
        case "Cn", "Unassigned": mask([.unassigned])
        default: nil
        }
    }

    // MARK: - Binary properties

    private static let binaryProperties: [String: BinaryProperty] = [
        "Alphabetic": .alphabetic, "Alpha": .alphabetic,
        "ASCII_Hex_Digit": .asciiHexDigit, "AHex": .asciiHexDigit,
        "Bidi_Control": .bidiControl, "Bidi_C": .bidiControl,
        "Bidi_Mirrored": .bidiMirrored, "Bidi_M": .bidiMirrored,
        "Cased": .cased,
        "Case_Ignorable": .caseIgnorable, "CI": .caseIgnorable,
        "Dash": .dash,
        "Default_Ignorable_Code_Point": .defaultIgnorableCodePoint, "DI": .defaultIgnorableCodePoint,
        "Deprecated": .deprecated, "Dep": .deprecated,
        "Diacritic": .diacritic, "Dia": .diacritic,
        "Emoji": .emoji,
        "Emoji_Modifier": .emojiModifier, "EMod": .emojiModifier,
        "Emoji_Modifier_Base": .emojiModifierBase, "EBase": .emojiModifierBase,
        "Emoji_Presentation": .emojiPresentation, "EPres": .emojiPresentation,
        "Extender": .extender, "Ext": .extender,
        "Hex_Digit": .hexDigit, "Hex": .hexDigit,
        "ID_Continue": .idContinue, "IDC": .idContinue,
        "ID_Start": .idStart, "IDS": .idStart,
        "Ideographic": .ideographic, "Ideo": .ideographic,
        "Join_Control": .joinControl, "Join_C": .joinControl,
        "Lowercase": .lowercase, "Lower": .lowercase,
        "Math": .math,
        "Noncharacter_Code_Point": .noncharacterCodePoint, "NChar": .noncharacterCodePoint,
        "Pattern_Syntax": .patternSyntax, "Pat_Syn": .patternSyntax,
        "Pattern_White_Space": .patternWhiteSpace, "Pat_WS": .patternWhiteSpace,
        "Quotation_Mark": .quotationMark, "QMark": .quotationMark,
        "Radical": .radical,
        "Sentence_Terminal": .sentenceTerminal, "STerm": .sentenceTerminal,
        "Soft_Dotted": .softDotted, "SD": .softDotted,
        "Terminal_Punctuation": .terminalPunctuation, "Term": .terminalPunctuation,
        "Unified_Ideograph": .unifiedIdeograph, "UIdeo": .unifiedIdeograph,
        "Uppercase": .uppercase, "Upper": .uppercase,
        "Variation_Selector": .variationSelector, "VS": .variationSelector,
        "White_Space": .whiteSpace, "space": .whiteSpace,
        "XID_Continue": .xidContinue, "XIDC": .xidContinue,
        "XID_Start": .xidStart, "XIDS": .xidStart,
        "Changes_When_Casefolded": .changesWhenCasefolded, "CWCF": .changesWhenCasefolded,
        "Changes_When_Casemapped": .changesWhenCasemapped, "CWCM": .changesWhenCasemapped,
        "Changes_When_Lowercased": .changesWhenLowercased, "CWL": .changesWhenLowercased,
        "Changes_When_NFKC_Casefolded": .changesWhenNFKCCasefolded, "CWKCF": .changesWhenNFKCCasefolded,
        "Changes_When_Titlecased": .changesWhenTitlecased, "CWT": .changesWhenTitlecased,
        "Changes_When_Uppercased": .changesWhenUppercased, "CWU": .changesWhenUppercased,
        "Grapheme_Base": .graphemeBase, "Gr_Base": .graphemeBase,
        "Grapheme_Extend": .graphemeExtend, "Gr_Ext": .graphemeExtend,
        "IDS_Binary_Operator": .idsBinaryOperator, "IDSB": .idsBinaryOperator,
        "IDS_Trinary_Operator": .idsTrinaryOperator, "IDST": .idsTrinaryOperator,
        "Logical_Order_Exception": .logicalOrderException, "LOE": .logicalOrderException,
    ]

    /// ECMA-262's other binary properties: valid syntax that the Swift standard library has no table for.
    private static let unsupportedBinaryProperties: Set<String> = [
        "Emoji_Component", "EComp", "Extended_Pictographic", "ExtPict", "Regional_Indicator", "RI",
    ]
}

extension UnicodeProperty.BinaryProperty {
    func holds(for properties: Unicode.Scalar.Properties) -> Bool {
        switch self {
        case .alphabetic: properties.isAlphabetic
        case .asciiHexDigit: properties.isASCIIHexDigit
        case .bidiControl: properties.isBidiControl
        case .bidiMirrored: properties.isBidiMirrored
        case .cased: properties.isCased
        case .caseIgnorable: properties.isCaseIgnorable
        case .dash: properties.isDash
        case .defaultIgnorableCodePoint: properties.isDefaultIgnorableCodePoint
        case .deprecated: properties.isDeprecated
        case .diacritic: properties.isDiacritic
        case .emoji: properties.isEmoji
        case .emojiModifier: properties.isEmojiModifier
        case .emojiModifierBase: properties.isEmojiModifierBase
        case .emojiPresentation: properties.isEmojiPresentation
        case .extender: properties.isExtender
        case .hexDigit: properties.isHexDigit
        case .idContinue: properties.isIDContinue
        case .idStart: properties.isIDStart
        case .ideographic: properties.isIdeographic
        case .joinControl: properties.isJoinControl
        case .lowercase: properties.isLowercase
        case .math: properties.isMath
        case .noncharacterCodePoint: properties.isNoncharacterCodePoint
        case .patternSyntax: properties.isPatternSyntax
        case .patternWhiteSpace: properties.isPatternWhitespace
        case .quotationMark: properties.isQuotationMark
        case .radical: properties.isRadical
        case .sentenceTerminal: properties.isSentenceTerminal
        case .softDotted: properties.isSoftDotted
        case .terminalPunctuation: properties.isTerminalPunctuation
        case .unifiedIdeograph: properties.isUnifiedIdeograph
        case .uppercase: properties.isUppercase
        case .variationSelector: properties.isVariationSelector
        case .whiteSpace: properties.isWhitespace
        case .xidContinue: properties.isXIDContinue
        case .xidStart: properties.isXIDStart
        case .changesWhenCasefolded: properties.changesWhenCaseFolded
        case .changesWhenCasemapped: properties.changesWhenCaseMapped
        case .changesWhenLowercased: properties.changesWhenLowercased
        case .changesWhenNFKCCasefolded: properties.changesWhenNFKCCaseFolded
        case .changesWhenTitlecased: properties.changesWhenTitlecased
        case .changesWhenUppercased: properties.changesWhenUppercased
        case .graphemeBase: properties.isGraphemeBase
        case .graphemeExtend: properties.isGraphemeExtend
        case .idsBinaryOperator: properties.isIDSBinaryOperator
        case .idsTrinaryOperator: properties.isIDSTrinaryOperator
        case .logicalOrderException: properties.isLogicalOrderException
        }
    }
}
