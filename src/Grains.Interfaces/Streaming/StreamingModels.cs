namespace InMemoryDb.Streaming;

// The streaming platform's entities, as its routes answer them (JSON: snake_case property names, so DataCriacao is
// data_criacao). Inputs are the same shapes with every field optional: a field left out is generated as the
// original service did, a field given is used exactly as given (docs/api/streaming.md).

/// <summary>A user of the platform.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.usuario")]
public sealed record Usuario(
    [property: Id(0)] long UserId,
    [property: Id(1)] string Nome,
    [property: Id(2)] string Email,
    [property: Id(3)] string Cpf,
    [property: Id(4)] DateTimeOffset DataCriacao);

/// <summary>A new user: what is null is generated (a fresh id, a name, an email and a CPF no other user has).</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.novo-usuario")]
public sealed record NovoUsuario(
    [property: Id(0)] long? UserId = null,
    [property: Id(1)] string? Nome = null,
    [property: Id(2)] string? Email = null,
    [property: Id(3)] string? Cpf = null);

/// <summary>A subscription; at most one per user is <see cref="StreamingValues.Ativa"/>.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.assinatura")]
public sealed record Assinatura(
    [property: Id(0)] string Id,
    [property: Id(1)] long UserId,
    [property: Id(2)] string Plano,
    [property: Id(3)] DateOnly Inicio,
    [property: Id(4)] DateOnly Fim,
    [property: Id(5)] string Status,
    [property: Id(6)] DateTimeOffset CriadaEm);

/// <summary>A new subscription: a random plan, today and today + 30 days, and <c>ativa</c> when left out.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.nova-assinatura")]
public sealed record NovaAssinatura(
    [property: Id(0)] string? Plano = null,
    [property: Id(1)] DateOnly? Inicio = null,
    [property: Id(2)] DateOnly? Fim = null,
    [property: Id(3)] string? Status = null);

/// <summary>A user's subscriptions: the active one (if any) and every one, newest first.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.assinaturas")]
public sealed record Assinaturas(
    [property: Id(0)] long UserId,
    [property: Id(1)] Assinatura? Atual,
    [property: Id(2)] IReadOnlyList<Assinatura> Historico);

/// <summary>A payment.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.pagamento")]
public sealed record Pagamento(
    [property: Id(0)] string Id,
    [property: Id(1)] long UserId,
    [property: Id(2)] decimal Valor,
    [property: Id(3)] string FormaPagamento,
    [property: Id(4)] string Status,
    [property: Id(5)] DateTimeOffset DataPagamento,
    [property: Id(6)] string? IdempotencyKey);

/// <summary>A new payment: a random amount (19.90–49.90) and method when left out.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.novo-pagamento")]
public sealed record NovoPagamento(
    [property: Id(0)] decimal? Valor = null,
    [property: Id(1)] string? FormaPagamento = null);

/// <summary>A payment and whether it was stored by an earlier request with the same idempotency key.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.pagamento-feito")]
public sealed record PagamentoFeito(
    [property: Id(0)] Pagamento Pagamento,
    [property: Id(1)] bool Repetido,
    [property: Id(2)] string CorrelationId);

/// <summary>A user's preferences; <see cref="Versao"/> is the ETag of a versioned merge.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.preferencias")]
public sealed record Preferencias(
    [property: Id(0)] long UserId,
    [property: Id(1)] string Idioma,
    [property: Id(2)] bool Notificacoes,
    [property: Id(3)] string Tema,
    [property: Id(4)] DateTimeOffset DataAtualizacao,
    [property: Id(5)] long Versao);

/// <summary>A change of preferences: the fields given replace the stored ones (a merge); random values only for a user with none yet.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.novas-preferencias")]
public sealed record NovasPreferencias(
    [property: Id(0)] string? Idioma = null,
    [property: Id(1)] bool? Notificacoes = null,
    [property: Id(2)] string? Tema = null);

/// <summary>A viewing of a content item; <see cref="Concluido"/> is <c>posicao &gt;= 90</c>.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.visualizacao")]
public sealed record Visualizacao(
    [property: Id(0)] string Id,
    [property: Id(1)] long UserId,
    [property: Id(2)] long ConteudoId,
    [property: Id(3)] string Titulo,
    [property: Id(4)] string Tipo,
    [property: Id(5)] int TempoAssistido,
    [property: Id(6)] int Posicao,
    [property: Id(7)] DateTimeOffset Data,
    [property: Id(8)] bool Concluido);

/// <summary>A new viewing: what is null is generated as the original did.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.nova-visualizacao")]
public sealed record NovaVisualizacao(
    [property: Id(0)] long? ConteudoId = null,
    [property: Id(1)] string? Titulo = null,
    [property: Id(2)] string? Tipo = null,
    [property: Id(3)] int? TempoAssistido = null,
    [property: Id(4)] int? Posicao = null);

/// <summary>A page of a user's viewings, newest first: how many match the filters and the first of them.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.historico")]
public sealed record Historico(
    [property: Id(0)] long UserId,
    [property: Id(1)] int Total,
    [property: Id(2)] IReadOnlyList<Visualizacao> Itens);

/// <summary>One recommended item.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.recomendacao")]
public sealed record Recomendacao(
    [property: Id(0)] long ConteudoId,
    [property: Id(1)] string Titulo,
    [property: Id(2)] string Tipo,
    [property: Id(3)] string Categoria,
    [property: Id(4)] double Pontuacao,
    [property: Id(5)] string Motivo);

/// <summary>A user's list of recommendations (replaced as a whole by each generation).</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.recomendacoes")]
public sealed record Recomendacoes(
    [property: Id(0)] long UserId,
    [property: Id(1)] DateTimeOffset DataGeracao,
    [property: Id(2)] IReadOnlyList<Recomendacao> Itens);

/// <summary>A viewing session; it counts as ended once ended or idle longer than the configured time.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.sessao")]
public sealed record Sessao(
    [property: Id(0)] string SessionId,
    [property: Id(1)] long UserId,
    [property: Id(2)] string Dispositivo,
    [property: Id(3)] string Localizacao,
    [property: Id(4)] DateTimeOffset Inicio,
    [property: Id(5)] DateTimeOffset UltimaAtividade,
    [property: Id(6)] DateTimeOffset? EncerradaEm,
    [property: Id(7)] bool Ativa);

/// <summary>A new session: a random device and city when left out.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.nova-sessao")]
public sealed record NovaSessao(
    [property: Id(0)] string? Dispositivo = null,
    [property: Id(1)] string? Localizacao = null);

/// <summary>An item of the content catalogue.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.conteudo")]
public sealed record Conteudo(
    [property: Id(0)] long ConteudoId,
    [property: Id(1)] string Titulo,
    [property: Id(2)] string Tipo,
    [property: Id(3)] string Categoria,
    [property: Id(4)] string? DetalhesJson,
    [property: Id(5)] DateTimeOffset AtualizadoEm,
    [property: Id(6)] DateTimeOffset? ExpiraEm);

/// <summary>A content item to put: generated title, type and category when left out; details are any JSON object.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.novo-conteudo")]
public sealed record NovoConteudo(
    [property: Id(0)] string? Titulo = null,
    [property: Id(1)] string? Tipo = null,
    [property: Id(2)] string? Categoria = null,
    [property: Id(3)] string? DetalhesJson = null,
    [property: Id(4)] int? TtlSegundos = null);

/// <summary>Catalogue reads served and missed, summed over the cluster's partitions since they started.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.cache-stats")]
public sealed record ConteudoStats(
    [property: Id(0)] long Itens,
    [property: Id(1)] long Hits,
    [property: Id(2)] long Misses);

/// <summary>A page of users in id order; <see cref="Next"/> is the <c>after</c> of the next page (null: the last page).</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.usuarios-page")]
public sealed record UsuarioPage(
    [property: Id(0)] long Total,
    [property: Id(1)] IReadOnlyList<Usuario> Usuarios,
    [property: Id(2)] long? Next);
