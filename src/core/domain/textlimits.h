#pragma once

#include <QChar>
#include <QStringView>

namespace agentdesk {

// Bounds on the strings a client may choose (thread ids, agent names, filters): everything a client
// sends is stored, echoed in errors and pushed to every WebSocket subscriber, so none may be large.

// A thread id: 1 to 128 characters (Unicode code points) of letters, marks, digits, punctuation and
// symbols of any script; no whitespace, control, format or unassigned characters. UUIDs, the
// original's ids, and ids like "order-17/retry" or "日本-1" pass.
inline constexpr int kMaxThreadIdLength = 128;
// Any other name or filter value a client sends (agent, payload type, model, organisation, status…).
inline constexpr int kMaxClientTextLength = 128;

inline bool isThreadIdCharacter(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
    case QChar::Number_DecimalDigit:
    case QChar::Number_Letter:
    case QChar::Number_Other:
    case QChar::Punctuation_Connector:
    case QChar::Punctuation_Dash:
    case QChar::Punctuation_Open:
    case QChar::Punctuation_Close:
    case QChar::Punctuation_InitialQuote:
    case QChar::Punctuation_FinalQuote:
    case QChar::Punctuation_Other:
    case QChar::Symbol_Math:
    case QChar::Symbol_Currency:
    case QChar::Symbol_Modifier:
    case QChar::Symbol_Other:
        return true;
    default:
        return false;
    }
}

// Length in characters (code points), as the bounds count it.
inline qsizetype characterCount(QStringView text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!(text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()))
            ++count;
    }
    return count;
}

// Every character may appear in a thread id (the length is checked apart).
inline bool hasThreadIdAlphabet(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text.at(i).unicode();
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            ++i;
        }
        if (!isThreadIdCharacter(c)) // a lone surrogate is not a character either
            return false;
    }
    return true;
}

inline bool isValidThreadId(QStringView text)
{
    return !text.isEmpty() && characterCount(text) <= kMaxThreadIdLength && hasThreadIdAlphabet(text);
}

} // namespace agentdesk
