#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace agentdesk {

// yaml-cpp stops at the first thing it cannot read and says so in its own terms ("illegal map value",
// "end of map not found", "unknown token") at the place where it gave up, which is often a line after
// the real mistake. This reads the text around that place and says what is probably wrong, for which
// key, and how to fix it: "check the indentation of `peers` (line 22)", "quote `integer?` inside
// `{…}`". The parser's own words follow in parentheses, so nothing it said is lost.
class YamlErrorTranslator
{
public:
    struct Problem
    {
        int line = 0;    // 1-based; where the fix goes (0: no line)
        QString key;     // the key path at that line (`listeners[0].peers`), empty when unknown
        QString message; // starts with "invalid YAML: "
    };

    // `line` and `column` are yaml-cpp's 0-based mark (-1: none), `parserMessage` its text.
    static Problem translate(const QByteArray &text, int line, int column, const QString &parserMessage);

private:
    explicit YamlErrorTranslator(const QByteArray &text);

    struct Line
    {
        int indent = 0;      // leading spaces
        bool blank = true;   // empty or only a comment
        bool item = false;   // starts with "- " (after the indentation)
        int itemColumn = -1; // item: the column of the dash
        QString key;         // the first `key:` on the line, if any
        int keyColumn = -1;  // its column
        QString value;       // what follows `key:` (trimmed, comment removed)
        QString text;
    };

    Line parse(int index) const;
    QString pathAt(int index) const;
    QStringList flowKeys(int index, int column) const;
    QString keyInFlow(int index, int column) const;
    QString pathInFlow(int index, int column) const;
    int previousContentLine(int index) const;

    Problem unknownToken(int line, int column) const;
    Problem unclosedFlow(int line, int column, QChar open, QChar close) const;
    Problem mapValue(int line, int column) const;
    Problem indentation(int line) const;
    Problem blockEntry(int line) const;
    Problem tab(int line) const;

    QStringList m_lines;
};

} // namespace agentdesk
