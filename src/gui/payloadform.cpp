#include "payloadform.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr int kMaxDepth = 16; // a schema from elsewhere could recurse without end; raw XML still works

QString normalized(const QString &name)
{
    QString key = name.toLower();
    key.remove(u'_');
    return key;
}

const QRegularExpression &integerPattern()
{
    static const QRegularExpression pattern(u"[+-]?\\d+"_s);
    return pattern;
}

const QRegularExpression &decimalPattern()
{
    static const QRegularExpression pattern(u"[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?"_s);
    return pattern;
}

void markInvalid(QWidget *editor, bool invalid)
{
    if (editor->property("invalid").toBool() == invalid)
        return;
    editor->setProperty("invalid", invalid);
    editor->setStyleSheet(invalid ? u"QLineEdit { border: 1px solid #c0392b; color: #c0392b; }"_s : QString());
}

} // namespace

// One field's editor: its value for the request (invalid: leave the field out) and what is wrong with it.
class PayloadForm::Editor : public QWidget
{
public:
    using QWidget::QWidget;
    virtual QVariant value() const = 0;
    virtual void setValue(const QVariant &value) = 0; // invalid: empty (an optional field left out)
    virtual QString problem(const QString &label) const = 0;
    virtual QWidget *find(const QStringList &path) = 0; // empty path: the editor's own focus target
};

class PayloadForm::ScalarEditor final : public Editor
{
public:
    ScalarEditor(PayloadForm *form, const wire::PayloadField &field, bool optional, QWidget *parent)
        : Editor(parent)
        , m_field(field)
        , m_optional(optional)
    {
        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        if (field.kind == wire::PayloadField::Kind::Boolean) {
            m_check = new QCheckBox(this);
            m_check->setObjectName(field.element);
            if (optional) {
                m_check->setTristate(true);
                m_check->setCheckState(Qt::PartiallyChecked);
                m_check->setToolTip(PayloadForm::tr("Partly checked: leave the field out"));
            }
            connect(m_check, &QCheckBox::stateChanged, form, &PayloadForm::changed);
            layout->addWidget(m_check);
            layout->addStretch();
            return;
        }
        m_edit = new QLineEdit(this);
        m_edit->setObjectName(field.element);
        switch (field.kind) {
        case wire::PayloadField::Kind::Integer:
            m_edit->setValidator(new QRegularExpressionValidator(integerPattern(), m_edit));
            m_edit->setPlaceholderText(optional ? PayloadForm::tr("whole number (optional)")
                                                : PayloadForm::tr("whole number"));
            break;
        case wire::PayloadField::Kind::Decimal:
            m_edit->setValidator(new QRegularExpressionValidator(decimalPattern(), m_edit));
            m_edit->setPlaceholderText(optional ? PayloadForm::tr("number (optional)") : PayloadForm::tr("number"));
            break;
        default:
            m_edit->setPlaceholderText(optional ? PayloadForm::tr("text (optional)")
                                                : PayloadForm::tr("text (required)"));
            break;
        }
        connect(m_edit, &QLineEdit::textChanged, this, [this, form] {
            markInvalid(m_edit, !m_edit->text().isEmpty() && !m_edit->hasAcceptableInput());
            emit form->changed();
        });
        layout->addWidget(m_edit);
    }

    QVariant value() const override
    {
        if (m_check) {
            if (m_check->checkState() == Qt::PartiallyChecked)
                return {};
            return m_check->isChecked();
        }
        const QString text = m_edit->text();
        switch (m_field.kind) {
        case wire::PayloadField::Kind::String:
            if (text.isEmpty() && m_optional)
                return {};
            return text;
        case wire::PayloadField::Kind::Integer: {
            if (text.isEmpty() || !m_edit->hasAcceptableInput())
                return {};
            bool ok = false;
            const qlonglong number = text.toLongLong(&ok);
            return ok ? QVariant(number) : QVariant(text); // beyond 64 bits: the organism says so
        }
        case wire::PayloadField::Kind::Decimal:
            if (text.isEmpty() || !m_edit->hasAcceptableInput())
                return {};
            return QLocale::c().toDouble(text);
        default:
            return {};
        }
    }

    void setValue(const QVariant &value) override
    {
        if (m_check) {
            if (!value.isValid())
                m_check->setCheckState(m_optional ? Qt::PartiallyChecked : Qt::Unchecked);
            else
                m_check->setChecked(value.typeId() == QMetaType::Bool ? value.toBool()
                                                                      : value.toString().trimmed() == u"true");
            return;
        }
        if (!value.isValid())
            m_edit->clear();
        else if (value.typeId() == QMetaType::Double)
            m_edit->setText(QLocale::c().toString(value.toDouble(), 'g', QLocale::FloatingPointShortest));
        else
            m_edit->setText(value.toString());
    }

    QString problem(const QString &label) const override
    {
        if (!m_edit)
            return {};
        if (m_field.kind == wire::PayloadField::Kind::String) // a required text must say something
            return m_optional || !m_edit->text().trimmed().isEmpty() ? QString()
                                                                     : PayloadForm::tr("%1 is required").arg(label);
        const bool integer = m_field.kind == wire::PayloadField::Kind::Integer;
        if (m_edit->text().isEmpty()) {
            if (m_optional)
                return {};
            return integer ? PayloadForm::tr("%1: a whole number is required").arg(label)
                           : PayloadForm::tr("%1: a number is required").arg(label);
        }
        if (!m_edit->hasAcceptableInput())
            return integer ? PayloadForm::tr("%1: enter a whole number").arg(label)
                           : PayloadForm::tr("%1: enter a number").arg(label);
        return {};
    }

    QWidget *find(const QStringList &path) override
    {
        if (!path.isEmpty())
            return nullptr;
        return m_check ? static_cast<QWidget *>(m_check) : static_cast<QWidget *>(m_edit);
    }

private:
    wire::PayloadField m_field;
    bool m_optional;
    QLineEdit *m_edit = nullptr;
    QCheckBox *m_check = nullptr;
};

class PayloadForm::GroupEditor final : public Editor
{
public:
    // title empty: the form's root (no frame). checkable: an optional nested field, off = left out.
    GroupEditor(PayloadForm *form, const QString &typeName, const QString &title, bool checkable, int depth,
                QWidget *parent);

    QVariant value() const override
    {
        if (m_box && m_box->isCheckable() && !m_box->isChecked())
            return {};
        QVariantMap map;
        for (const Child &child : m_children) {
            const QVariant value = child.editor->value();
            if (value.isValid())
                map.insert(child.element, value);
        }
        return map;
    }

    void setValue(const QVariant &value) override
    {
        const QVariantMap map = value.toMap();
        if (m_box && m_box->isCheckable())
            m_box->setChecked(value.isValid());
        for (const Child &child : std::as_const(m_children)) {
            QVariant given;
            for (auto it = map.cbegin(); it != map.cend(); ++it) {
                if (normalized(it.key()) == normalized(child.element))
                    given = it.value();
            }
            child.editor->setValue(given);
        }
    }

    QString problem(const QString &label) const override
    {
        if (m_box && m_box->isCheckable() && !m_box->isChecked())
            return {};
        for (const Child &child : m_children) {
            const QString childLabel = label.isEmpty() ? child.element : label + u" › "_s + child.element;
            const QString text = child.editor->problem(childLabel);
            if (!text.isEmpty())
                return text;
        }
        return {};
    }

    QWidget *find(const QStringList &path) override
    {
        if (path.isEmpty())
            return m_box ? static_cast<QWidget *>(m_box)
                         : (m_children.isEmpty() ? nullptr : m_children.first().editor->find({}));
        for (const Child &child : m_children) {
            if (normalized(child.element) == normalized(path.first())) {
                if (m_box && m_box->isCheckable())
                    m_box->setChecked(true);
                return child.editor->find(path.mid(1));
            }
        }
        return nullptr;
    }

private:
    struct Child
    {
        QString element;
        Editor *editor;
    };
    QGroupBox *m_box = nullptr;
    QList<Child> m_children;
};

class PayloadForm::ListEditor final : public Editor
{
public:
    ListEditor(PayloadForm *form, const wire::PayloadField &field, int depth, QWidget *parent)
        : Editor(parent)
        , m_form(form)
        , m_field(field)
        , m_depth(depth)
    {
        m_layout = new QVBoxLayout(this);
        m_layout->setContentsMargins(0, 0, 0, 0);
        m_add = new QPushButton(PayloadForm::tr("Add %1").arg(field.element), this);
        m_add->setObjectName(u"add-"_s + field.element);
        m_add->setIcon(QIcon::fromTheme(u"list-add"_s));
        connect(m_add, &QPushButton::clicked, this, [this] { addItem(); });
        auto *buttonRow = new QHBoxLayout;
        buttonRow->addWidget(m_add);
        buttonRow->addStretch();
        m_layout->addLayout(buttonRow);
    }

    QVariant value() const override
    {
        if (m_items.isEmpty())
            return {};
        QVariantList list;
        for (const Item &item : m_items) {
            const QVariant value = item.editor->value();
            if (value.isValid())
                list.append(value);
        }
        return list;
    }

    void setValue(const QVariant &value) override
    {
        while (!m_items.isEmpty())
            removeItem(m_items.constLast().row);
        // One value where the schema has a list: XML with a single element reads that way.
        const QVariantList values = value.typeId() == QMetaType::QVariantList ? value.toList()
            : value.isValid()                                                 ? QVariantList{value}
                                                                              : QVariantList();
        for (const QVariant &item : values) {
            addItem();
            m_items.constLast().editor->setValue(item);
        }
    }

    QString problem(const QString &label) const override
    {
        for (int i = 0; i < m_items.size(); ++i) {
            const QString text = m_items.at(i).editor->problem(u"%1 #%2"_s.arg(label).arg(i + 1));
            if (!text.isEmpty())
                return text;
        }
        return {};
    }

    QWidget *find(const QStringList &path) override
    {
        if (path.isEmpty())
            return m_items.isEmpty() ? static_cast<QWidget *>(m_add) : m_items.first().editor->find({});
        bool ok = false;
        const int index = path.first().toInt(&ok);
        if (!ok)
            return m_items.isEmpty() ? nullptr : m_items.first().editor->find(path);
        if (index < 0 || index >= m_items.size())
            return nullptr;
        return m_items.at(index).editor->find(path.mid(1));
    }

private:
    struct Item
    {
        QWidget *row;
        Editor *editor;
    };

    void addItem()
    {
        auto *row = new QWidget(this);
        auto *rowLayout = new QHBoxLayout(row);
        rowLayout->setContentsMargins(0, 0, 0, 0);
        const QString title = u"%1 #%2"_s.arg(m_field.element).arg(m_items.size() + 1);
        Editor *editor = nullptr;
        if (m_field.kind == wire::PayloadField::Kind::Nested)
            editor = new GroupEditor(m_form, m_field.typeName, title, false, m_depth, row);
        else
            editor = new ScalarEditor(m_form, m_field, false, row);
        auto *remove = new QToolButton(row);
        remove->setText(PayloadForm::tr("Remove"));
        remove->setIcon(QIcon::fromTheme(u"list-remove"_s));
        remove->setToolTip(PayloadForm::tr("Remove this item"));
        rowLayout->addWidget(editor, 1);
        rowLayout->addWidget(remove, 0, Qt::AlignTop);
        m_layout->insertWidget(int(m_items.size()), row);
        m_items.append({row, editor});
        connect(remove, &QToolButton::clicked, this, [this, row] { removeItem(row); });
        if (QWidget *focus = editor->find({}))
            focus->setFocus();
        emit m_form->changed();
    }

    void removeItem(QWidget *row)
    {
        for (qsizetype i = 0; i < m_items.size(); ++i) {
            if (m_items.at(i).row == row) {
                m_items.removeAt(i);
                m_layout->removeWidget(row); // out of the way of rows added before it is deleted
                row->hide();
                row->deleteLater();
                break;
            }
        }
        emit m_form->changed();
    }

    PayloadForm *m_form;
    wire::PayloadField m_field;
    int m_depth;
    QVBoxLayout *m_layout;
    QPushButton *m_add;
    QList<Item> m_items;
};

PayloadForm::GroupEditor::GroupEditor(PayloadForm *form, const QString &typeName, const QString &title, bool checkable,
                                      int depth, QWidget *parent)
    : Editor(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    QWidget *body = this;
    QFormLayout *rows = nullptr;
    if (title.isEmpty()) {
        rows = new QFormLayout;
        outer->addLayout(rows);
    } else {
        m_box = new QGroupBox(title, this);
        m_box->setObjectName(title);
        m_box->setCheckable(checkable);
        if (checkable) {
            m_box->setChecked(false);
            m_box->setToolTip(PayloadForm::tr("Optional: check to include it"));
            connect(m_box, &QGroupBox::toggled, form, &PayloadForm::changed);
        }
        rows = new QFormLayout(m_box);
        outer->addWidget(m_box);
        body = m_box;
    }
    rows->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    const QList<wire::PayloadField> fields = form->m_schema.fields(typeName);
    if (fields.isEmpty())
        rows->addRow(new QLabel(PayloadForm::tr("(no fields)"), body));
    for (const wire::PayloadField &field : fields) {
        Editor *editor = nullptr;
        if (depth >= kMaxDepth) {
            rows->addRow(new QLabel(PayloadForm::tr("Nested too deeply for the form: use raw XML"), body));
            break;
        }
        if (field.list) {
            editor = new ListEditor(form, field, depth + 1, body);
            auto *label = new QLabel(field.element, body);
            label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
            rows->addRow(label, editor);
        } else if (field.kind == wire::PayloadField::Kind::Nested) {
            editor = new GroupEditor(form, field.typeName, field.element, field.optional, depth + 1, body);
            rows->addRow(editor);
        } else {
            editor = new ScalarEditor(form, field, field.optional, body);
            rows->addRow(field.element, editor);
        }
        m_children.append({field.element, editor});
    }
}

PayloadForm::PayloadForm(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
}

PayloadForm::~PayloadForm() = default;

void PayloadForm::setSchema(const wire::PayloadSchema &schema)
{
    delete m_root;
    m_root = nullptr;
    m_schema = schema;
    if (schema.isValid()) {
        m_root = new GroupEditor(this, schema.rootType, QString(), false, 0, this);
        layout()->addWidget(m_root);
    }
    emit changed();
}

QVariantMap PayloadForm::fields() const
{
    return m_root ? m_root->value().toMap() : QVariantMap();
}

void PayloadForm::setFields(const QVariantMap &fields)
{
    if (m_root)
        m_root->setValue(fields);
    emit changed();
}

QString PayloadForm::problem() const
{
    if (!m_schema.isValid())
        return m_schema.error;
    return m_root ? m_root->problem(QString()) : QString();
}

QWidget *PayloadForm::editorAt(const QStringList &path) const
{
    return m_root ? m_root->find(path) : nullptr;
}

bool PayloadForm::highlight(const QStringList &path)
{
    QWidget *editor = editorAt(path);
    if (!editor)
        return false;
    if (qobject_cast<QLineEdit *>(editor))
        markInvalid(editor, true);
    editor->setFocus(Qt::OtherFocusReason);
    return true;
}

} // namespace agentdesk
