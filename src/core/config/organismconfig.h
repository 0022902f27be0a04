#pragma once

#include "domain/budgets.h"
#include "scriptedreplies.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace agentdesk {

// The parsed, validated organism.yaml. Plain data: the loader (ConfigLoader) fills it, the Organism
// builds listeners, schemas and limits from it. Every element remembers its source line so later
// stages (schema compilation, handler start-up) can still name file, line and key in their errors.

struct FieldSpec
{
    QString name;          // snake_case as declared
    QString type;          // string | integer | decimal | boolean | <declared payload type>
    bool list = false;     // declared with a [] suffix
    bool optional = false; // declared with a ? suffix
    int line = 0;
};

struct PayloadTypeSpec
{
    QString name; // PascalCase type name, e.g. Greeting
    QList<FieldSpec> fields;
    int line = 0;
};

struct HandlerSpec
{
    enum class Kind { Builtin, Exec, Agent };
    Kind kind = Kind::Builtin;
    QString builtin;          // Kind::Builtin: shout, echo, sink, calculate, format …
    QStringList argv;         // Kind::Exec: program and arguments (no shell)
    QString workingDirectory; // Kind::Exec: defaults to the config file's directory
    int line = 0;
};

// How an agent's peers reach the model: native tool calls in the provider's own format, XML payloads
// written into the reply text, or auto (native where every backend of the model supports tools).
enum class LlmToolMode { Auto, Native, Xml };
QString toString(LlmToolMode mode);
bool parseLlmToolMode(const QString &text, LlmToolMode *mode);
// `retry: {attempts, backoff}`: how often a failed delivery is tried before its thread ends in error.
struct RetrySpec
{
    int attempts = 1;            // tries in all, the first included: 1 = no retry
    double backoffSeconds = 1.0; // the wait before the first retry; each further one waits twice as long
    int line = 0;
};

struct ListenerConfig
{
    QString name;
    QString description;
    QString payloadClass; // as written (e.g. handlers.hello.Greeting)
    QString payloadType;  // resolved declared type name (last dotted segment)
    HandlerSpec handler;
    bool agent = false;
    QStringList peers;
    bool broadcast = false;
    QString prompt;
    QString model;                     // agents: model to ask the router for
    std::optional<int> maxTokens;      // agents: the reply's token limit (max_tokens); unset: the provider's default
    std::optional<double> temperature; // agents: unset = 0.7
    LlmToolMode toolMode = LlmToolMode::Auto; // agents
    int maxToolRetries = 1;                   // agents: invalid tool calls sent back to the model this many times
    bool requireReply = false; // agents: a reply without a payload for a peer fails the call (else it ends its part)
    double timeoutSeconds = 30.0;
    QVariantMap options; // free-form options for built-ins (e.g. format templates)
    RetrySpec retry;
    int line = 0;
};

struct LlmBackendConfig
{
    QString name;     // defaults to provider
    QString provider; // openai | xai | anthropic | ollama | demo | openai-compatible (vllm, llamacpp, lmstudio …)
    QString apiKeyEnv;
    QString baseUrl;
    QStringList models; // models this backend serves (empty = by provider convention)
    int priority = 1;
    qint64 rateLimitTpm = 100000;
    int maxConcurrent = 20;
    double timeoutSeconds = 120.0;    // connect + first byte of the answer
    double idleTimeoutSeconds = 60.0; // between two chunks of a (streamed) answer
    bool stream = false;              // default: true for openai, xai and anthropic
    LlmToolMode toolMode = LlmToolMode::Auto;
    ScriptedReplies scripted; // provider scripted: its replies file, read at load
    int line = 0;
};

// USD per million tokens. Cache reads and writes fall back to the prompt price when not given.
struct ModelPrice
{
    double promptPerMillion = 0;
    double completionPerMillion = 0;
    std::optional<double> cachedPromptPerMillion;
    std::optional<double> cacheWritePerMillion;
};

// A price list (the bundled resources/llm-prices.yaml, or an operator's llm.prices_file).
struct PriceList
{
    QString date;                     // when the prices were taken (YYYY-MM-DD)
    QString source;                   // the file it came from
    QMap<QString, ModelPrice> prices; // lower-case model prefix → price
};

struct LlmConfig
{
    QString strategy = QStringLiteral("failover"); // failover | round-robin | least-loaded
    int retries = 3;
    double retryBaseDelay = 1.0;
    double retryMaxDelay = 60.0;
    QList<LlmBackendConfig> backends;
    QMap<QString, ModelPrice> prices; // model prefix → price (llm.prices); over the file and the bundled list
    QString pricesFile;               // llm.prices_file, absolute; read at every load and reload
    PriceList filePrices;             // what pricesFile held
};

// budgets: per-agent and organism-wide limits over a UTC period (BudgetPeriod: domain/budgets.h).

struct ScopeBudgetConfig
{
    std::optional<qint64> maxTokens;
    std::optional<double> maxCost; // USD
    BudgetPeriod period = BudgetPeriod::Total;
    int line = 0;
};

struct BudgetsConfig
{
    QMap<QString, ScopeBudgetConfig> agents; // by agent name
    std::optional<ScopeBudgetConfig> organism;
};

struct AuthConfig
{
    QString apiKeyEnv;         // name of the environment variable that holds the API key
    bool protectReads = false; // also protect GETs and WebSocket connects
};

struct ApiConfig
{
    QString bind = QStringLiteral("127.0.0.1");
    int port = 8765;          // organism.port
    QStringList allowedHosts; // extra Host header names accepted besides loopback and the bind address
    QStringList corsOrigins;  // origins allowed by CORS besides http://localhost:* / 127.0.0.1:*
    qint64 maxBodyBytes = 1 << 20;
    int maxConnections = 256;
    int idleTimeoutSeconds = 60;
};

// How hard a commit is pushed to the disk.
//  Normal: WAL with synchronous=NORMAL. A committed transaction survives a crash of the process;
//          a power loss or kernel crash may lose the last few commits (never corrupts the file).
//  Full:   synchronous=FULL. Every commit is fsynced before it is reported; survives power loss,
//          at the cost of one fsync per transaction.
enum class HistoryDurability { Normal, Full };

// Where the history lives: a SQLite file in the history directory (one organism per file), or a
// PostgreSQL database that several organisms and instances may share.
enum class HistoryBackend { Sqlite, Postgresql };

struct HistoryConfig
{
    qint64 maxMessages = 1000000;                              // never below 10,000
    int maxAgeDays = 30;                                       // 0 = keep regardless of age
    HistoryDurability synchronous = HistoryDurability::Normal; // history.synchronous: normal | full
    HistoryBackend backend = HistoryBackend::Sqlite;           // history.backend: sqlite | postgresql
    // history.url (postgresql only): postgresql://user@host:port/database[?param=value…], never with a
    // password (libpq takes it from PGPASSWORD or ~/.pgpass).
    QString url;
    // history.instance (postgresql only): this process's name among the organism's instances on the
    // database; empty = the machine's host name. organism.name + instance own their rows.
    QString instance;
};

enum class SchedulingPolicy { BreadthFirst, DepthFirst };

struct ConfigWarning
{
    QString file;
    int line = 0;
    QString key;
    QString message;
    QString toString() const; // "file:line: key: message"
};

struct OrganismConfig
{
    QString filePath; // absolute path of the file read (empty for an in-memory text)

    QString name = QStringLiteral("unnamed");
    QString identity;
    QString description;
    SchedulingPolicy scheduling = SchedulingPolicy::BreadthFirst;
    int maxConcurrentPipelines = 50;
    int maxConcurrentHandlers = 20;
    int maxConcurrentPerAgent = 5;
    qint64 maxTokensPerThread = 100000;
    int maxQueueDepth = 10000; // messages queued in the whole pump
    int maxMessageDepth = 50;  // hops in one thread before the loop guard stops it
    bool resumeOnStart = true; // unfinished threads continue at the next start

    QList<PayloadTypeSpec> payloads;
    QList<ListenerConfig> listeners;
    LlmConfig llm;
    BudgetsConfig budgets;
    AuthConfig auth;
    ApiConfig api;
    HistoryConfig history;

    QList<ConfigWarning> warnings; // unknown keys, deprecated placements …

    const ListenerConfig *listener(const QString &name) const;
    const PayloadTypeSpec *payloadType(const QString &name) const;
};

} // namespace agentdesk
