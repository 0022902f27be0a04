#include "demobackend.h"

#include <QRegularExpression>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

struct Example
{
    QString peer;
    QString xml;
};

struct Leaf
{
    QString name;
    QString text;
};

// The agent listener writes one block per peer:
//   <example peer="shouter">\n<GreetingResponse>\n  <Message>...</Message>\n…\n</example>
std::optional<Example> firstExample(const LlmRequest &request)
{
    static const QRegularExpression block(uR"re(<example peer="([^"]*)">[ \t]*\r?\n(.*?)\r?\n[ \t]*</example>)re"_s,
                                          QRegularExpression::DotMatchesEverythingOption);
    // The system prompt carries the examples; other messages are searched only as a fallback.
    for (const bool systemOnly : {true, false}) {
        for (const LlmMessage &message : request.messages) {
            if (systemOnly != (message.role == u"system"))
                continue;
            const QRegularExpressionMatch match = block.match(message.content);
            if (match.hasMatch())
                return Example{match.captured(1), match.captured(2)};
        }
    }
    return std::nullopt;
}

QString lastUserMessage(const LlmRequest &request)
{
    for (auto it = request.messages.crbegin(); it != request.messages.crend(); ++it) {
        if (it->role == u"user")
            return it->content;
    }
    return {};
}

// The leaf elements of the first XML element in `text`, in document order.
QList<Leaf> leavesOf(const QString &text)
{
    static const QRegularExpression elementStart(u"<[A-Za-z_]"_s);
    const qsizetype start = text.indexOf(elementStart);
    QList<Leaf> leaves;
    if (start < 0)
        return leaves;
    QXmlStreamReader reader(QStringView(text).mid(start).toString());
    QList<Leaf> open;
    QList<bool> hasChildren;
    while (!reader.atEnd()) {
        const QXmlStreamReader::TokenType token = reader.readNext();
        if (token == QXmlStreamReader::StartElement) {
            if (!hasChildren.isEmpty())
                hasChildren.last() = true;
            open.append(Leaf{reader.name().toString(), {}});
            hasChildren.append(false);
        } else if (token == QXmlStreamReader::Characters && !open.isEmpty()) {
            open.last().text += reader.text();
        } else if (token == QXmlStreamReader::EndElement && !open.isEmpty()) {
            Leaf leaf = open.takeLast();
            if (!hasChildren.takeLast())
                leaves.append(Leaf{leaf.name, leaf.text.simplified()});
            if (open.isEmpty())
                break; // the root closed: whatever follows is prose
        }
    }
    return leaves;
}

// A number as XML Schema writes an integer or a decimal ("12", "-4.5"; no exponent, no "inf").
bool isDecimalText(const QString &text)
{
    static const QRegularExpression decimal(u"^-?\\d+(\\.\\d+)?$"_s);
    return decimal.match(text).hasMatch();
}

QString normalized(const QString &name)
{
    return name.toLower().remove(u'_').remove(u'-');
}

// "OriginalSender" and "original_sender" → {original, sender}: field names are judged by their words,
// so Message is not an Age and Issue is not a flag.
QStringList wordsOf(const QString &name)
{
    static const QRegularExpression boundary(u"(?<=[a-z0-9])(?=[A-Z])|[_\\-.]+"_s);
    QStringList words = name.split(boundary, Qt::SkipEmptyParts);
    for (QString &word : words)
        word = word.toLower();
    if (words.isEmpty())
        words.append(QString());
    return words;
}

// What the payload is about: its first textual field ("Dan" in <Greeting><Name>Dan</Name></Greeting>).
QString subjectOf(const QList<Leaf> &leaves, const QString &message)
{
    for (const Leaf &leaf : leaves) {
        if (!leaf.text.isEmpty() && !isDecimalText(leaf.text))
            return leaf.text;
    }
    for (const Leaf &leaf : leaves) {
        if (!leaf.text.isEmpty())
            return leaf.text;
    }
    if (leaves.isEmpty()) {
        const QString prose = message.simplified();
        if (!prose.isEmpty())
            return prose.size() > 80 ? prose.left(80) + u"…"_s : prose;
    }
    return u"world"_s;
}

// What kind of value a placeholder of the example stands for: the agent listener's examples write
// `...` for text, `0` for integers, `0.0` for decimals and `false` for booleans (XsdWriter).
enum class ValueKind { Text, Integer, Decimal, Boolean };

// Every number the incoming payload holds, in document order: numeric fields first, then numbers
// written inside its texts ("2 * (3 + 4)" holds 2, 3 and 4).
QStringList numbersOf(const QList<Leaf> &leaves, const QString &message)
{
    static const QRegularExpression number(u"(?<![\\w.])-?\\d+(?:\\.\\d+)?(?!\\w|\\.\\d)"_s);
    QStringList numbers;
    for (const Leaf &leaf : leaves) {
        if (isDecimalText(leaf.text))
            numbers.append(leaf.text);
    }
    QStringList texts;
    for (const Leaf &leaf : leaves) {
        if (!isDecimalText(leaf.text))
            texts.append(leaf.text);
    }
    if (leaves.isEmpty())
        texts.append(message);
    for (const QString &text : std::as_const(texts)) {
        auto it = number.globalMatch(text);
        while (it.hasNext())
            numbers.append(it.next().captured());
    }
    return numbers;
}

// A whole number written as one: "3.7" → "4", "12.00" → "12".
QString asInteger(const QString &decimal)
{
    return QString::number(qRound64(decimal.toDouble()));
}

QString asDecimal(const QString &number)
{
    return number.contains(u'.') ? number : number + u".0"_s;
}

// What the incoming payload says: its texts (not its element names), or the prose without one.
QString saidIn(const QList<Leaf> &leaves, const QString &message)
{
    if (leaves.isEmpty())
        return message.toLower();
    QStringList texts;
    for (const Leaf &leaf : leaves)
        texts.append(leaf.text.toLower());
    return texts.join(u'\n');
}

class Filler
{
public:
    explicit Filler(const QList<Leaf> &incoming, const QString &message)
        : m_incoming(incoming)
        , m_subject(subjectOf(incoming, message))
        , m_numbers(numbersOf(incoming, message))
        , m_said(saidIn(incoming, message))
    { }

    const QString &subject() const { return m_subject; }

    QString valueFor(const QString &field, ValueKind kind)
    {
        switch (kind) {
        case ValueKind::Integer:
            return integerFor(field);
        case ValueKind::Decimal:
            return decimalFor(field);
        case ValueKind::Boolean:
            return booleanFor(field);
        case ValueKind::Text:
            break;
        }
        return textFor(field);
    }

private:
    static const QStringList &flagWords()
    {
        static const QStringList flags{u"is"_s, u"has"_s, u"can"_s, u"should"_s, u"allow"_s, u"enable"_s};
        return flags;
    }

    std::optional<QString> sameNamed(const QString &field) const
    {
        const QString key = normalized(field);
        for (const Leaf &leaf : m_incoming) {
            if (normalized(leaf.name) == key)
                return leaf.text;
        }
        return std::nullopt;
    }

    QString textFor(const QString &field)
    {
        static const QStringList quantities{u"count"_s, u"number"_s, u"total"_s, u"amount"_s, u"quantity"_s,
                                            u"age"_s,   u"score"_s,  u"index"_s, u"size"_s,   u"level"_s,
                                            u"sum"_s,   u"price"_s,  u"cost"_s};
        static const QStringList people{u"sender"_s, u"name"_s,   u"from"_s,     u"author"_s,
                                        u"user"_s,   u"origin"_s, u"recipient"_s};
        static const QStringList formulas{u"expression"_s, u"formula"_s, u"calculation"_s, u"equation"_s};

        if (const std::optional<QString> same = sameNamed(field))
            return *same;
        const QStringList words = wordsOf(field);
        if (words.size() > 1 && flagWords().contains(words.first()))
            return u"true"_s;
        if (quantities.contains(words.last()))
            return m_numbers.isEmpty() ? u"1"_s : m_numbers.first();
        if (people.contains(words.last()))
            return m_subject;
        // Arithmetic a calculator can evaluate: the incoming numbers added up.
        if (formulas.contains(words.last()))
            return m_numbers.size() < 2 ? u"%1 + 1"_s.arg(m_numbers.value(0, u"1"_s)) : m_numbers.join(u" + "_s);
        return m_textFields++ == 0 ? u"Hello, %1! (demo)"_s.arg(m_subject) : u"%1 (demo)"_s.arg(m_subject);
    }

    // Numeric fields take the incoming payload's numbers in turn, so what was asked about drives what
    // comes out (and what a router decides on it).
    std::optional<QString> nextNumber()
    {
        if (m_numbers.isEmpty())
            return std::nullopt;
        return m_numbers.at(m_numericFields++ % m_numbers.size());
    }

    QString integerFor(const QString &field)
    {
        if (const std::optional<QString> same = sameNamed(field); same && isDecimalText(*same))
            return asInteger(*same);
        if (const std::optional<QString> number = nextNumber())
            return asInteger(*number);
        return u"1"_s;
    }

    QString decimalFor(const QString &field)
    {
        static const QStringList fractions{u"confidence"_s, u"probability"_s, u"ratio"_s,
                                           u"rate"_s,       u"share"_s,       u"fraction"_s};
        if (const std::optional<QString> same = sameNamed(field); same && isDecimalText(*same))
            return asDecimal(*same);
        if (fractions.contains(wordsOf(field).last()))
            return u"0.9"_s;
        if (const std::optional<QString> number = nextNumber())
            return asDecimal(*number);
        return u"1.0"_s;
    }

    // True when the incoming payload mentions what the flag is about (IsUrgent: "urgent"), so a
    // message that says so is routed as one that does.
    QString booleanFor(const QString &field)
    {
        if (const std::optional<QString> same = sameNamed(field)) {
            const QString value = same->toLower();
            if (value == u"true" || value == u"1")
                return u"true"_s;
            if (value == u"false" || value == u"0")
                return u"false"_s;
        }
        QStringList words = wordsOf(field);
        if (words.size() > 1 && flagWords().contains(words.first()))
            words.removeFirst();
        for (const QString &word : std::as_const(words)) {
            // "approved" is mentioned by "approve", "replies" by "reply".
            const QString stem = word.size() > 5 ? word.left(word.size() - 2) : word;
            if (stem.size() >= 3 && m_said.contains(stem))
                return u"true"_s;
        }
        return u"false"_s;
    }

    QList<Leaf> m_incoming;
    QString m_subject;
    QStringList m_numbers;
    QString m_said; // the incoming texts in lower case, to find what a flag is about
    int m_textFields = 0;
    int m_numericFields = 0;
};

// The prose sentence quotes the subject; it must not contain an element start a reader could take
// for the payload.
QString proseSafe(QString text)
{
    return text.replace(u'<', u'\u2039').replace(u'>', u'\u203A');
}

ValueKind kindOf(const QString &placeholder)
{
    if (placeholder == u"0")
        return ValueKind::Integer;
    if (placeholder == u"0.0")
        return ValueKind::Decimal;
    if (placeholder == u"false")
        return ValueKind::Boolean;
    return ValueKind::Text;
}

QString filled(const QString &exampleXml, Filler *filler)
{
    static const QRegularExpression placeholder(
        uR"re(<([A-Za-z_][\w.\-]*)((?:\s[^>]*)?)>\s*(\.\.\.|0\.0|0|false)\s*</\1\s*>)re"_s);
    QString out;
    qsizetype copied = 0;
    QRegularExpressionMatchIterator it = placeholder.globalMatch(exampleXml);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QString name = match.captured(1);
        out += QStringView(exampleXml).mid(copied, match.capturedStart() - copied);
        out += u'<' + name + match.captured(2) + u'>'
            + filler->valueFor(name, kindOf(match.captured(3))).toHtmlEscaped() + u"</"_s + name + u'>';
        copied = match.capturedEnd();
    }
    out += QStringView(exampleXml).mid(copied);
    return out;
}

} // namespace

DemoBackend::DemoBackend(const LlmBackendConfig &config, QObject *parent)
    : LlmBackend(config, parent)
{ }

bool DemoBackend::servesByConvention(const QString &) const
{
    return true;
}

QString DemoBackend::compose(const LlmRequest &request)
{
    const QString model = request.model.isEmpty() ? u"demo"_s : request.model;
    const QString message = lastUserMessage(request);
    Filler filler(leavesOf(message), message);
    const std::optional<Example> example = firstExample(request);
    if (!example)
        return u"Demo reply from %1 (no language model was called): you wrote about \"%2\". "
               "This canned answer stands in for a real model in the offline demo."_s.arg(model,
                                                                                          proseSafe(filler.subject()));
    const QString payload = filled(example->xml, &filler);
    return u"Demo reply from %1 (no language model was called): passing \"%2\" on to %3.\n\n%4"_s.arg(
        model, proseSafe(filler.subject()), example->peer, payload);
}

void DemoBackend::start(quint64 attemptId, const LlmRequest &request)
{
    m_pending.insert(attemptId);
    // Answer on the next turn of the event loop, like a network reply would, never inside send().
    QTimer::singleShot(0, this, [this, attemptId, request] {
        if (!m_pending.remove(attemptId))
            return;
        BackendReply reply;
        reply.ok = true;
        LlmResult &result = reply.result;
        result.content = compose(request);
        result.model = request.model.isEmpty() ? u"demo"_s : request.model;
        result.promptTokens = estimateTokens(promptCharacters(request));
        result.completionTokens = estimateTokens(result.content.size());
        result.estimatedTokens = true;
        finish(attemptId, reply);
    });
}

void DemoBackend::stop(quint64 attemptId)
{
    m_pending.remove(attemptId);
}

} // namespace agentdesk
