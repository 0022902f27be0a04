#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

// A strict reader of the Prometheus text exposition format (version 0.0.4), written from the format's
// rules so that the tests hold /metrics to them rather than to what prometheus-cpp happens to print:
// names and label names by their grammar, label values with only the three escapes, one TYPE per
// family and before its samples, a family's samples together, no series twice, counters never
// negative, histograms with ascending `le`, cumulative buckets, +Inf equal to _count, and a _sum.

using Labels = QMap<QString, QString>;

struct ExpositionSample
{
    QString name; // as written: a histogram's carry _bucket, _sum, _count
    Labels labels;
    double value = 0;
};

struct ExpositionFamily
{
    QString name;
    QString help;
    QString type; // counter | gauge | histogram | summary | untyped
    QList<ExpositionSample> samples;
};

struct Exposition
{
    QList<ExpositionFamily> families;
    QStringList errors; // "line N: what is wrong"; empty when the text follows every rule

    bool ok() const { return errors.isEmpty(); }
    const ExpositionFamily *family(const QString &name) const;
    QStringList familyNames() const;
    // The value of the one sample with exactly these labels, if there is one.
    std::optional<double> value(const QString &sampleName, const Labels &labels = {}) const;
    // The sum over the samples whose labels include `subset`.
    double sum(const QString &sampleName, const Labels &subset = {}) const;
    QList<ExpositionSample> samples(const QString &sampleName) const;
};

Exposition parseExposition(const QByteArray &text);
