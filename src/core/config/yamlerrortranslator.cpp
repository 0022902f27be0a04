#include "yamlerrortranslator.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// Where a text position is, as both a line/column pair and an index into the whole text.
struct Opener
{
    QChar bracket;
    int line = 0;
    int column = 0;
};

// The text of a line without a trailing comment (a # after a space, outside quotes).
QString withoutComment(const QString &line)
{
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'"' || c == u'\'') {
            quote = c;
        } else if (c == u'#' && (i == 0 || line.at(i - 1).isSpace())) {
            return line.left(i);
        }
    }
    return line;
}

QString quoted(const QString &text)
{
    return u'`' + text + u'`';
}

QString columnText(int column)
{
    return u"column %1"_s.arg(column + 1);
}

} // namespace

YamlErrorTranslator::YamlErrorTranslator(const QByteArray &text)
    : m_lines(QString::fromUtf8(text).split(u'\n'))
{
    for (QString &line : m_lines) {
        if (line.endsWith(u'\r'))
            line.chop(1);
    }
}

YamlErrorTranslator::Problem YamlErrorTranslator::translate(const QByteArray &text, int line, int column,
                                                            const QString &parserMessage)
{
    const YamlErrorTranslator reader(text);
    const bool placed = line >= 0 && line < reader.m_lines.size();
    Problem problem;
    if (placed) {
        if (parserMessage.startsWith(u"unknown token"_s))
            problem = reader.unknownToken(line, column);
        else if (parserMessage.startsWith(u"end of map flow not found"_s))
            problem = reader.unclosedFlow(line, column, u'{', u'}');
        else if (parserMessage.startsWith(u"end of sequence flow not found"_s))
            problem = reader.unclosedFlow(line, column, u'[', u']');
        else if (parserMessage.startsWith(u"illegal map value"_s))
            problem = reader.mapValue(line, column);
        else if (parserMessage.startsWith(u"end of map not found"_s)
                 || parserMessage.startsWith(u"end of sequence not found"_s))
            problem = reader.indentation(line);
        else if (parserMessage.startsWith(u"illegal block entry"_s))
            problem = reader.blockEntry(line);
        else if (parserMessage.startsWith(u"illegal flow end"_s))
            problem = Problem{line + 1, reader.pathAt(line),
                              u"a `%1` at %2 closes nothing: remove it (each `{` and `[` is closed once)"_s.arg(
                                  reader.m_lines.at(line).mid(column, 1), columnText(column))};
        else if (parserMessage.startsWith(u"illegal tab"_s))
            problem = reader.tab(line);
        else if (parserMessage.startsWith(u"unknown escape character"_s))
            problem = Problem{
                line + 1, reader.pathAt(line),
                u"a double-quoted value holds a backslash that is no YAML escape (%1): write \\\\ for "
                "a backslash, or use single quotes ('…'), where a backslash is just a backslash"_s.arg(parserMessage)};
    }
    const QString said = column >= 0 ? u"%1 at %2"_s.arg(parserMessage, columnText(column)) : parserMessage;
    if (problem.message.isEmpty()) {
        // Nothing better to say: the parser's words, where it stopped.
        problem.line = placed ? line + 1 : 0;
        problem.key = placed ? reader.pathAt(line) : QString();
        problem.message = u"invalid YAML: "_s + parserMessage
            + (column >= 0 ? u" (%1)"_s.arg(columnText(column)) : QString());
        return problem;
    }
    problem.message = u"invalid YAML: "_s + problem.message + u" (the YAML reader said: %1)"_s.arg(said);
    return problem;
}

YamlErrorTranslator::Line YamlErrorTranslator::parse(int index) const
{
    static const QRegularExpression keyPattern(
        u"^([^\\s\"'#\\-\\[\\]{},][^:#{}\\[\\],]*?|\"[^\"]*\"|'[^']*')\\s*:(\\s|$)"_s);
    Line line;
    if (index < 0 || index >= m_lines.size())
        return line;
    line.text = m_lines.at(index);
    const QString content = withoutComment(line.text);
    while (line.indent < content.size() && content.at(line.indent) == u' ')
        ++line.indent;
    line.blank = content.trimmed().isEmpty();
    if (line.blank)
        return line;
    int column = line.indent;
    if (content.mid(column).startsWith(u"- "_s) || content.mid(column) == u"-"_s) {
        line.item = true;
        line.itemColumn = column;
        column += 1;
        while (column < content.size() && content.at(column) == u' ')
            ++column;
    }
    const QRegularExpressionMatch match = keyPattern.match(content.mid(column));
    if (match.hasMatch()) {
        line.key = match.captured(1).trimmed();
        if (line.key.size() > 1 && (line.key.startsWith(u'"') || line.key.startsWith(u'\'')))
            line.key = line.key.mid(1, line.key.size() - 2);
        line.keyColumn = column;
        line.value = content.mid(column + match.capturedLength()).trimmed();
    }
    return line;
}

int YamlErrorTranslator::previousContentLine(int index) const
{
    for (int i = index - 1; i >= 0; --i) {
        if (!parse(i).blank)
            return i;
    }
    return -1;
}

// The key path of the line at `index`, from the indentation of the lines above it: each key with a
// smaller column is a parent, each list item ("- ") an index among its siblings.
QString YamlErrorTranslator::pathAt(int index) const
{
    const Line here = parse(index);
    if (here.keyColumn < 0 && !here.item)
        return {};
    QString path = here.key;
    int column = here.keyColumn >= 0 ? here.keyColumn : here.itemColumn;
    bool parentMayShareColumn = false; // an indentless list (`key:` then `- …` in the same column)
    if (here.item && here.keyColumn >= 0) {
        column = here.itemColumn;
        parentMayShareColumn = true;
        // This line's own item: its index among the items before it.
        int count = 0;
        for (int i = index; i >= 0; --i) {
            const Line above = parse(i);
            if (above.blank)
                continue;
            if (above.item && above.itemColumn == here.itemColumn)
                ++count;
            else if (above.indent < here.itemColumn || (above.indent == here.itemColumn && !above.item))
                break;
        }
        path = u"[%1].%2"_s.arg(count - 1).arg(path);
    }
    for (int i = index - 1; i >= 0 && (column > 0 || parentMayShareColumn); --i) {
        const Line above = parse(i);
        if (above.blank)
            continue;
        // A key in the column of a list entry's dash was meant for that entry: count it in.
        if (above.item
            && (above.itemColumn < column || (above.itemColumn == column && !here.item && path == here.key))) {
            int count = 0;
            for (int j = i; j >= 0; --j) {
                const Line sibling = parse(j);
                if (sibling.blank)
                    continue;
                if (sibling.item && sibling.itemColumn == above.itemColumn)
                    ++count;
                else if (sibling.indent < above.itemColumn || (sibling.indent == above.itemColumn && !sibling.item))
                    break;
            }
            path = u"[%1]"_s.arg(count - 1) + (path.startsWith(u'[') || path.isEmpty() ? path : u'.' + path);
            column = above.itemColumn;
            parentMayShareColumn = true;
            continue;
        }
        if (above.keyColumn >= 0 && !above.item
            && (above.keyColumn < column
                || (parentMayShareColumn && above.keyColumn == column && above.value.isEmpty()))) {
            path = above.key + (path.startsWith(u'[') || path.isEmpty() ? path : u'.' + path);
            column = above.keyColumn;
            parentMayShareColumn = false;
        } else if (above.indent < column) {
            column = above.indent; // a line we cannot read as a key: it still bounds what can be a parent
            parentMayShareColumn = false;
        }
    }
    return path;
}

// The keys of the flow maps (`{a: x, key: {b: y}}`) that `column` is inside, outermost first: at each
// level the nearest `key: ` before it. Commas are no guide, since the mistake is often a comma inside a value.
QStringList YamlErrorTranslator::flowKeys(int index, int column) const
{
    const QString text = m_lines.value(index);
    QStringList keys;
    QString current;
    int depth = 0;
    for (qsizetype i = std::min<qsizetype>(column, text.size()) - 1; i >= 0; --i) {
        const QChar c = text.at(i);
        if (c == u'}' || c == u']') {
            ++depth;
        } else if (c == u'{' || c == u'[') {
            if (depth > 0) {
                --depth;
                continue;
            }
            if (c == u'{' && !current.isEmpty())
                keys.prepend(current); // the key counts only inside a map that opens here
            current.clear();
        } else if (c == u':' && depth == 0 && current.isEmpty() && i + 1 < text.size() && text.at(i + 1).isSpace()) {
            qsizetype start = i;
            while (start > 0 && !QStringView(u"{,[ ").contains(text.at(start - 1)))
                --start;
            current = text.mid(start, i - start).trimmed();
        }
    }
    return keys; // what is left in `current` is the line's own key, which pathAt() has
}

QString YamlErrorTranslator::keyInFlow(int index, int column) const
{
    const QStringList keys = flowKeys(index, column);
    return keys.isEmpty() ? QString() : keys.constLast();
}

QString YamlErrorTranslator::pathInFlow(int index, int column) const
{
    QStringList parts = flowKeys(index, column);
    const QString outer = pathAt(index);
    if (!outer.isEmpty())
        parts.prepend(outer);
    return parts.join(u'.');
}

YamlErrorTranslator::Problem YamlErrorTranslator::unknownToken(int line, int column) const
{
    const QString text = m_lines.at(line);
    const QChar at = column >= 0 && column < text.size() ? text.at(column) : QChar();
    const QString flowKey = keyInFlow(line, column);
    const QString path = pathInFlow(line, column);
    if (at == u'?') {
        qsizetype start = column;
        while (start > 0 && text.at(start - 1) == u' ')
            --start;
        while (start > 0
               && (text.at(start - 1).isLetterOrNumber() || text.at(start - 1) == u'_' || text.at(start - 1) == u'['
                   || text.at(start - 1) == u']'))
            --start;
        const QString token = text.mid(start, column - start).trimmed() + u'?';
        const QString key = flowKey.isEmpty() ? u"field"_s : flowKey;
        return Problem{
            line + 1, path,
            u"quote %1 inside `{…}`: write `%2: \"%3\"` (inside a flow map an unquoted ? before , or } "
            "stops the reader; one field per line, in block style, needs no quotes)"_s.arg(quoted(token), key, token)};
    }
    if (at == u'@' || at == u'`') {
        const Line here = parse(line);
        const QString key = flowKey.isEmpty() ? here.key : flowKey;
        const QString value = flowKey.isEmpty() ? here.value
                                                : text.mid(column).section(u',', 0, 0).remove(u'}').trimmed();
        return Problem{
            line + 1, path,
            u"a value cannot start with %1 in YAML: quote it, `%2: \"%3\"`"_s.arg(quoted(QString(at)), key, value)};
    }
    return {};
}

YamlErrorTranslator::Problem YamlErrorTranslator::unclosedFlow(int line, int column, QChar open, QChar close) const
{
    // The brackets still open where the reader stopped, outside quotes and comments.
    QList<Opener> stack;
    for (int i = 0; i <= line && i < m_lines.size(); ++i) {
        const QString text = withoutComment(m_lines.at(i));
        const qsizetype end = i == line ? std::min<qsizetype>(column, text.size()) : text.size();
        QChar quote;
        for (qsizetype j = 0; j < end; ++j) {
            const QChar c = text.at(j);
            if (!quote.isNull()) {
                if (c == quote)
                    quote = QChar();
            } else if ((c == u'"' || c == u'\'') && (j == 0 || !text.at(j - 1).isLetterOrNumber())) {
                quote = c;
            } else if (c == u'{' || c == u'[') {
                stack.append(Opener{c, i, int(j)});
            } else if ((c == u'}' || c == u']') && !stack.isEmpty()) {
                stack.removeLast();
            }
        }
    }
    const QString text = m_lines.at(line);
    const QChar at = column >= 0 && column < text.size() ? text.at(column) : QChar();
    // `string[]` or `x{…}` glued to a word inside a flow map: a type suffix that needs quotes.
    if ((at == u'[' || at == u'{') && column > 0 && text.at(column - 1).isLetterOrNumber()) {
        qsizetype start = column;
        while (start > 0 && (text.at(start - 1).isLetterOrNumber() || text.at(start - 1) == u'_'))
            --start;
        qsizetype end = column + 1;
        while (end < text.size() && text.at(end) != u',' && text.at(end) != u'}' && !text.at(end).isSpace())
            ++end;
        if (end < text.size() && text.at(end) == u'}' && text.mid(column, end - column + 1).count(u'{') == 1)
            ++end;
        const QString token = text.mid(start, end - start);
        const QString key = keyInFlow(line, int(start));
        const QString path = pathInFlow(line, int(start));
        return Problem{line + 1, path,
                       u"quote %1 inside `{…}`: write `%2: \"%3\"` (inside a flow map [ starts a list and { a "
                       "map; one field per line, in block style, needs no quotes)"_s.arg(
                           quoted(token), key.isEmpty() ? u"field"_s : key, token)};
    }
    Opener unclosed{open, line, column};
    for (auto it = stack.crbegin(); it != stack.crend(); ++it) {
        if (it->bracket == open) {
            unclosed = *it;
            break;
        }
    }
    const QString openerLine = withoutComment(m_lines.at(unclosed.line)).trimmed();
    const QString kind = open == u'{' ? u"map"_s : u"list"_s;
    if (unclosed.line < line) {
        return Problem{
            unclosed.line + 1, pathAt(unclosed.line),
            u"the %1 `%2` opened on line %3 (%4) is not closed: add `%5` (on line %3: `%6`)"_s.arg(kind, QString(open))
                .arg(unclosed.line + 1)
                .arg(columnText(unclosed.column), QString(close), openerLine)};
    }
    // Closed on this line, but something in it cannot stand unquoted inside the brackets.
    const QString key = keyInFlow(line, column);
    const QString path = pathInFlow(line, column);
    QString example;
    const QString content = withoutComment(text).trimmed();
    if (!key.isEmpty() && content.endsWith(close)) {
        const qsizetype keyAt = text.lastIndexOf(key + u':', column);
        if (keyAt >= 0) {
            const QString value = withoutComment(text).mid(keyAt + key.size() + 1).trimmed().chopped(1).trimmed();
            if (!value.isEmpty())
                example = u", e.g. `%1: \"%2\"`"_s.arg(key, value);
        }
    }
    return Problem{line + 1, path,
                   u"inside `%1…%2` a value that holds `,`, `{`, `}`, `[`, `]` or `: ` must be quoted%3 — or a `%2` is "
                   "missing (%4)"_s.arg(QString(open), QString(close), example, columnText(column))};
}

YamlErrorTranslator::Problem YamlErrorTranslator::mapValue(int line, int column) const
{
    const Line here = parse(line);
    const int previous = previousContentLine(line);
    const Line above = parse(previous);
    // A key indented under one that already has a value: the reader took both lines as one text.
    if (here.keyColumn >= 0 && column <= here.keyColumn + here.key.size() + 1 && previous >= 0 && above.keyColumn >= 0
        && here.keyColumn > above.keyColumn && !above.value.isEmpty()) {
        const QString siblingPath = pathAt(previous);
        const QString path = siblingPath.left(siblingPath.size() - above.key.size()) + here.key;
        return Problem{line + 1, path,
                       u"check the indentation of %1 (line %2): it is indented more than %3 (line %4) above it, which "
                       "already has a value; line it up with %3 (%5)"_s.arg(quoted(here.key))
                           .arg(line + 1)
                           .arg(quoted(above.key))
                           .arg(previous + 1)
                           .arg(columnText(above.keyColumn))};
    }
    // `key: text: more`: a second ": " inside a plain value.
    if (here.keyColumn >= 0 && column > here.keyColumn + here.key.size()) {
        return Problem{
            line + 1, pathAt(line),
            u"the value of %1 contains `: `, which YAML reads as another key: quote the value (`%2: \"%3\"`) "
            "or write it as a block (`%2: |` with the text on the lines below, indented)"_s.arg(quoted(here.key),
                                                                                                here.key, here.value)};
    }
    return {};
}

YamlErrorTranslator::Problem YamlErrorTranslator::indentation(int line) const
{
    int index = line;
    while (index < m_lines.size() && parse(index).blank)
        ++index;
    if (index >= m_lines.size())
        index = line;
    const Line here = parse(index);
    const int column = here.item ? here.itemColumn : here.indent;
    const QString what = here.keyColumn >= 0 ? quoted(here.key) : u"`%1`"_s.arg(here.text.trimmed().left(40));
    // Inside a block text (`key: |`): its lines must stay indented at least as far as its first one.
    for (int i = index - 1; i >= 0; --i) {
        const Line above = parse(i);
        if (above.blank)
            continue;
        if (above.keyColumn >= 0 && above.keyColumn < column
            && (above.value.startsWith(u'|') || above.value.startsWith(u'>'))) {
            const Line first = parse(i + 1);
            return Problem{index + 1, pathAt(i),
                           u"check the indentation of line %1: it is inside the block text of %2 (line %3), whose "
                           "lines must all start at least in %4, like its first line"_s.arg(index + 1)
                               .arg(quoted(above.key))
                               .arg(i + 1)
                               .arg(columnText(first.indent))};
        }
        if (above.indent <= column)
            break;
    }
    // In the column of a list entry's dash: it reads as a key beside the entry, not in it.
    if (!here.item && here.keyColumn >= 0) {
        for (int i = index - 1; i >= 0; --i) {
            const Line above = parse(i);
            if (above.blank)
                continue;
            if (above.item && above.itemColumn == column) {
                return Problem{index + 1, pathAt(index),
                               u"check the indentation of %1 (line %2): it starts in %3, the column of the dash of the "
                               "list entry on line %4, so it is outside that entry; start it in %5 like %6"_s.arg(what)
                                   .arg(index + 1)
                                   .arg(columnText(column))
                                   .arg(i + 1)
                                   .arg(columnText(above.keyColumn), quoted(above.key))};
            }
            if (above.indent < column)
                break;
        }
    }
    // Otherwise the nearest key above that starts further right: the map it was most likely meant for.
    QString suggestion;
    for (int i = index - 1; i >= 0; --i) {
        const Line above = parse(i);
        if (above.blank || above.keyColumn < 0)
            continue;
        if (above.keyColumn > column) {
            suggestion =
                u"; start it in %1 like %2 (line %3)"_s.arg(columnText(above.keyColumn), quoted(above.key)).arg(i + 1);
            break;
        }
        if (above.keyColumn < column)
            break;
    }
    const QString message = u"check the indentation of %1 (line %2): it starts in %3, which lines up with no key "
                            "above it%4. Keys of one map, and the entries of one list, start in the same column"_s
                                .arg(what)
                                .arg(index + 1)
                                .arg(columnText(column), suggestion);
    return Problem{index + 1, here.keyColumn >= 0 ? pathAt(index) : QString(), message};
}

YamlErrorTranslator::Problem YamlErrorTranslator::blockEntry(int line) const
{
    const Line here = parse(line);
    if (here.keyColumn < 0 || !here.value.startsWith(u'-'))
        return {};
    const QString item = here.value.mid(1).trimmed();
    return Problem{line + 1, pathAt(line),
                   u"a list cannot start on the line of its key: write `%1: [%2]`, or put `- %2` on its own line "
                   "below, indented under %3"_s.arg(here.key, item, quoted(here.key))};
}

YamlErrorTranslator::Problem YamlErrorTranslator::tab(int line) const
{
    return Problem{
        line + 1,
        {},
        u"line %1 is indented with a tab; YAML indents with spaces only: replace the tab with spaces"_s.arg(line + 1)};
}

} // namespace agentdesk
