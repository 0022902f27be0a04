#pragma once

#include "domain/queries.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QComboBox;

namespace agentdesk {

class Session;

// The Usage page's filters: one agent's, one model's or one outcome's calls (ok, unusable, error,
// aborted) in the token-rate chart and the range's sums; "all" by default. The choices are the
// organism's agents and the models seen (since the last reset, in the chart, or in calls as they come).
// A filter the attached server cannot apply is disabled, its tooltip saying why, and stays at "all":
// the chart is never narrower or wider than the filters say.
class UsageFilterBar final : public QWidget
{
    Q_OBJECT
public:
    explicit UsageFilterBar(QWidget *parent = nullptr);
    ~UsageFilterBar() override;

    void setSession(Session *session);
    UsageSeriesFilter filter() const;
    void setFilter(const UsageSeriesFilter &filter); // adds a name not among the choices
    void addModels(const QStringList &models);       // models the chart shows

    QComboBox *agentCombo() const { return m_agent; }
    QComboBox *modelCombo() const { return m_model; }
    QComboBox *outcomeCombo() const { return m_outcome; }

signals:
    void filterChanged(const agentdesk::UsageSeriesFilter &filter);

private:
    void refreshChoices();
    void updateAbilities();
    void addNames(QComboBox *combo, const QStringList &names);
    void onChosen();

    QPointer<Session> m_session;
    std::unique_ptr<QObject> m_scope; // the connections to the current session
    QComboBox *m_agent;
    QComboBox *m_model;
    QComboBox *m_outcome;
    UsageSeriesFilter m_filter;
};

} // namespace agentdesk
