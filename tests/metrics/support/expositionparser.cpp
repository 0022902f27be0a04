#include "expositionparser.h"

#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

const QRegularExpression kMetricName(u"^[a-zA-Z_:][a-zA-Z0-9_:]*$"_s);
const QRegularExpression kLabelName(u"^[a-zA-Z_][a-zA-Z0-9_]*$"_s);
const QStringList kTypes{u"counter"_s, u"gauge"_s, u"histogram"_s, u"summary"_s, u"untyped"_s};

std::optional<double> parseValue(const QString &text)
{
    if (text == u"+Inf")
        return std::numeric_limits<double>::infinity();
    if (text == u"-Inf")
        return -std::numeric_limits<double>::infinity();
    if (text == u"NaN")
        return std::numeric_limits<double>::quiet_NaN();
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

QString seriesKey(const QString &name, const Labels &labels)
{
    QStringList key{name};
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        key << it.key() << it.value();
    return key.join(QChar(0));
}

// The family a sample belongs to: its own name, or the name without a histogram's or summary's suffix
// when that family was declared with such a type.
QString familyOf(const QString &sample, const QHash<QString, QString> &types)
{
    for (const QString &suffix : {u"_bucket"_s, u"_sum"_s, u"_count"_s}) {
        if (!sample.endsWith(suffix))
            continue;
        const QString base = sample.chopped(suffix.size());
        const QString type = types.value(base);
        if (type == u"histogram" || (type == u"summary" && suffix != u"_bucket"))
            return base;
    }
    return sample;
}

class Parser
{
public:
    Exposition parse(const QByteArray &text);

private:
    void error(const QString &what) { m_result.errors.append(u"line %1: %2"_s.arg(m_line).arg(what)); }
    void comment(const QString &line);
    void sample(const QString &line);
    bool labels(const QString &line, qsizetype *pos, Labels *labels);
    ExpositionFamily &familyNamed(const QString &name);
    void checkFamilies();
    void checkHistogram(const ExpositionFamily &family);

    Exposition m_result;
    int m_line = 0;
    QHash<QString, QString> m_types;
    QSet<QString> m_helped;
    QSet<QString> m_closed; // families whose samples ended (another family's followed)
    QString m_current;      // the family of the last sample
    QSet<QString> m_series;
};

Exposition Parser::parse(const QByteArray &text)
{
    if (!text.isEmpty() && !text.endsWith('\n')) {
        m_line = int(text.count('\n')) + 1;
        error(u"the last line does not end with a line feed"_s);
    }
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &raw : lines) {
        ++m_line;
        const QString line = QString::fromUtf8(raw);
        if (line.trimmed().isEmpty())
            continue;
        if (line.startsWith(u'#'))
            comment(line);
        else
            sample(line);
    }
    checkFamilies();
    return m_result;
}

ExpositionFamily &Parser::familyNamed(const QString &name)
{
    for (ExpositionFamily &family : m_result.families) {
        if (family.name == name)
            return family;
    }
    m_result.families.append(ExpositionFamily{name, {}, m_types.value(name, u"untyped"_s), {}});
    return m_result.families.last();
}

void Parser::comment(const QString &line)
{
    const QStringList words = line.split(u' ');
    if (words.size() < 3 || words.at(0) != u"#" || (words.at(1) != u"HELP" && words.at(1) != u"TYPE"))
        return; // an ordinary comment
    const QString name = words.at(2);
    if (!kMetricName.match(name).hasMatch())
        return error(u"invalid metric name '%1' in %2"_s.arg(name, words.at(1)));
    if (words.at(1) == u"HELP") {
        if (m_helped.contains(name))
            return error(u"a second HELP for %1"_s.arg(name));
        m_helped.insert(name);
        familyNamed(name).help = line.section(u' ', 3);
        return;
    }
    if (words.size() != 4 || !kTypes.contains(words.at(3)))
        return error(u"invalid TYPE line for %1"_s.arg(name));
    if (m_types.contains(name))
        return error(u"a second TYPE for %1"_s.arg(name));
    if (!familyNamed(name).samples.isEmpty())
        return error(u"the TYPE of %1 comes after its samples"_s.arg(name));
    m_types.insert(name, words.at(3));
    familyNamed(name).type = words.at(3);
}

bool Parser::labels(const QString &line, qsizetype *pos, Labels *labels)
{
    qsizetype i = *pos + 1; // past '{'
    while (i < line.size() && line.at(i) != u'}') {
        const qsizetype equals = line.indexOf(u'=', i);
        if (equals < 0)
            return error(u"a label without '='"_s), false;
        const QString name = line.mid(i, equals - i);
        if (!kLabelName.match(name).hasMatch() || name.startsWith(u"__"))
            return error(u"invalid label name '%1'"_s.arg(name)), false;
        if (labels->contains(name))
            return error(u"label %1 given twice"_s.arg(name)), false;
        if (equals + 1 >= line.size() || line.at(equals + 1) != u'"')
            return error(u"the value of label %1 is not quoted"_s.arg(name)), false;
        QString value;
        qsizetype j = equals + 2;
        for (; j < line.size() && line.at(j) != u'"'; ++j) {
            if (line.at(j) != u'\\') {
                value.append(line.at(j));
                continue;
            }
            const QChar escaped = j + 1 < line.size() ? line.at(j + 1) : QChar();
            if (escaped == u'\\' || escaped == u'"')
                value.append(escaped);
            else if (escaped == u'n')
                value.append(u'\n');
            else
                return error(u"invalid escape in the value of label %1"_s.arg(name)), false;
            ++j;
        }
        if (j >= line.size())
            return error(u"the value of label %1 is not closed"_s.arg(name)), false;
        labels->insert(name, value);
        i = j + 1;
        if (i < line.size() && line.at(i) == u',')
            ++i;
        else if (i >= line.size() || line.at(i) != u'}')
            return error(u"labels must be separated by ','"_s), false;
    }
    if (i >= line.size())
        return error(u"the label set is not closed"_s), false;
    *pos = i + 1;
    return true;
}

void Parser::sample(const QString &line)
{
    qsizetype pos = 0;
    while (pos < line.size() && line.at(pos) != u'{' && line.at(pos) != u' ')
        ++pos;
    ExpositionSample sample;
    sample.name = line.left(pos);
    if (!kMetricName.match(sample.name).hasMatch())
        return error(u"invalid metric name '%1'"_s.arg(sample.name));
    if (pos < line.size() && line.at(pos) == u'{' && !labels(line, &pos, &sample.labels))
        return;
    const QStringList rest = line.mid(pos).split(u' ', Qt::SkipEmptyParts);
    if (rest.isEmpty() || rest.size() > 2 || pos >= line.size() || line.at(pos) != u' ')
        return error(u"a sample needs one value and at most a timestamp: '%1'"_s.arg(line));
    const std::optional<double> value = parseValue(rest.first());
    if (!value)
        return error(u"invalid value '%1'"_s.arg(rest.first()));
    bool timestampOk = true;
    if (rest.size() == 2)
        rest.at(1).toLongLong(&timestampOk);
    if (!timestampOk)
        return error(u"invalid timestamp '%1'"_s.arg(rest.at(1)));
    sample.value = *value;

    const QString family = familyOf(sample.name, m_types);
    if (family != m_current) {
        if (m_closed.contains(family))
            return error(u"the samples of %1 are not together"_s.arg(family));
        if (!m_current.isEmpty())
            m_closed.insert(m_current);
        m_current = family;
    }
    const QString key = seriesKey(sample.name, sample.labels);
    if (m_series.contains(key))
        return error(u"%1 with these labels appears twice"_s.arg(sample.name));
    m_series.insert(key);
    const QString type = m_types.value(family, u"untyped"_s);
    if (type == u"counter" && (std::isnan(sample.value) || sample.value < 0))
        error(u"counter %1 is negative or NaN"_s.arg(sample.name));
    if (type == u"histogram" && sample.name.endsWith(u"_bucket") && !sample.labels.contains(u"le"_s))
        error(u"histogram bucket %1 without le"_s.arg(sample.name));
    familyNamed(family).samples.append(sample);
}

void Parser::checkFamilies()
{
    for (const ExpositionFamily &family : std::as_const(m_result.families)) {
        if (family.type == u"histogram")
            checkHistogram(family);
    }
}

void Parser::checkHistogram(const ExpositionFamily &family)
{
    // Per series (labels without le): buckets in ascending le, cumulative, ending at +Inf = _count.
    QMap<QString, QList<QPair<double, double>>> buckets;
    QHash<QString, double> counts;
    QSet<QString> sums;
    for (const ExpositionSample &sample : family.samples) {
        Labels labels = sample.labels;
        if (sample.name == family.name + u"_bucket") {
            const std::optional<double> le = parseValue(labels.take(u"le"_s));
            if (!le) {
                error(u"histogram %1 has an invalid le"_s.arg(family.name));
                continue;
            }
            buckets[seriesKey({}, labels)].append({*le, sample.value});
        } else if (sample.name == family.name + u"_count") {
            counts.insert(seriesKey({}, labels), sample.value);
        } else if (sample.name == family.name + u"_sum") {
            sums.insert(seriesKey({}, labels));
        } else {
            error(u"histogram %1 has a sample named %2"_s.arg(family.name, sample.name));
        }
    }
    for (auto it = buckets.cbegin(); it != buckets.cend(); ++it) {
        const auto &series = it.value();
        for (qsizetype i = 1; i < series.size(); ++i) {
            if (series.at(i).first <= series.at(i - 1).first || series.at(i).second < series.at(i - 1).second)
                error(u"histogram %1: buckets not ascending or not cumulative"_s.arg(family.name));
        }
        if (series.isEmpty() || !std::isinf(series.last().first))
            error(u"histogram %1: no +Inf bucket"_s.arg(family.name));
        else if (!counts.contains(it.key()) || counts.value(it.key()) != series.last().second)
            error(u"histogram %1: _count differs from the +Inf bucket"_s.arg(family.name));
        if (!sums.contains(it.key()))
            error(u"histogram %1: no _sum"_s.arg(family.name));
    }
}

bool contains(const Labels &labels, const Labels &subset)
{
    for (auto it = subset.cbegin(); it != subset.cend(); ++it) {
        if (labels.value(it.key(), u"\x01"_s) != it.value())
            return false;
    }
    return true;
}

} // namespace

Exposition parseExposition(const QByteArray &text)
{
    return Parser().parse(text);
}

const ExpositionFamily *Exposition::family(const QString &name) const
{
    for (const ExpositionFamily &candidate : families) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

QStringList Exposition::familyNames() const
{
    QStringList names;
    for (const ExpositionFamily &candidate : families)
        names.append(candidate.name);
    return names;
}

QList<ExpositionSample> Exposition::samples(const QString &sampleName) const
{
    QList<ExpositionSample> found;
    for (const ExpositionFamily &candidate : families) {
        for (const ExpositionSample &sample : candidate.samples) {
            if (sample.name == sampleName)
                found.append(sample);
        }
    }
    return found;
}

std::optional<double> Exposition::value(const QString &sampleName, const Labels &labels) const
{
    for (const ExpositionSample &sample : samples(sampleName)) {
        if (sample.labels == labels)
            return sample.value;
    }
    return std::nullopt;
}

double Exposition::sum(const QString &sampleName, const Labels &subset) const
{
    double total = 0;
    for (const ExpositionSample &sample : samples(sampleName)) {
        if (contains(sample.labels, subset))
            total += sample.value;
    }
    return total;
}
