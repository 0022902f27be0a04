#pragma once

#include "payloadschema.h"

#include <QVariantMap>
#include <QWidget>

#include <memory>

namespace agentdesk {

// A form for one payload type, generated from its schema: a line edit per string, a line edit that only
// takes a whole number or a decimal for numbers (checked as you type, marked while incomplete), a check
// box per boolean, a group per nested type (checkable when optional), and add/remove rows for lists.
// fields() is the inject request's field tree, keyed by the wire element names.
class PayloadForm final : public QWidget
{
    Q_OBJECT
public:
    explicit PayloadForm(QWidget *parent = nullptr);
    ~PayloadForm() override;

    void setSchema(const wire::PayloadSchema &schema);
    const wire::PayloadSchema &schema() const { return m_schema; }

    QVariantMap fields() const;
    // Fills the form from a field tree (snake_case or element names, as a recorded message has them).
    void setFields(const QVariantMap &fields);
    // Empty when the form can be sent; otherwise the first problem, e.g. "Count: enter a whole number".
    QString problem() const;
    // Puts the focus on (and marks) the editor at a path of field names as the organism reports them
    // (snake_case or element names; list items by index). False when there is no such editor.
    bool highlight(const QStringList &path);
    // The editor at a path of element names (list items by index), for tests and highlight().
    QWidget *editorAt(const QStringList &path) const;

signals:
    void changed();

private:
    class Editor;
    class ScalarEditor;
    class GroupEditor;
    class ListEditor;
    friend class GroupEditor;
    friend class ListEditor;

    wire::PayloadSchema m_schema;
    GroupEditor *m_root = nullptr;
};

} // namespace agentdesk
