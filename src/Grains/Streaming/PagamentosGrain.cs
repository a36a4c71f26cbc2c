using InMemoryDb.Grains.Persistence;
using InMemoryDb.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.Streaming;

/// <summary>The persisted state of a <see cref="PagamentosGrain"/>.</summary>
public sealed class PagamentosState : UserLogState<PagamentoRegistrado>;

/// <summary>A payment as logged: with the correlation id of the request that made it (a repeat answers with it).</summary>
public sealed record PagamentoRegistrado(Pagamento Pagamento, string CorrelationId);

/// <summary>
/// A user's payments (<see cref="IPagamentosGrain"/>), an append-only log of bounded segments. Payments run one at a
/// time per user, so two requests with the same <c>Idempotency-Key</c>, concurrent or not, make one payment and one
/// event, and both get its answer.
/// </summary>
[GrainType("streaming-pagamentos")] // the prefix marks its events for the event log's correlation index
public sealed class PagamentosGrain([FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, ILogger<PagamentosGrain> logger)
    : UserLogGrain<PagamentosState, PagamentoRegistrado>(storage, StateName, logger), IPagamentosGrain
{
    /// <summary>The storage name of payment logs.</summary>
    public const string StateName = "pagamentos";

    /// <summary>The longest idempotency key.</summary>
    public const int MaxIdempotencyKey = 200;

    /// <summary>The most payments a listing returns.</summary>
    public const int MaxLimit = 1000;

    /// <inheritdoc />
    protected override PagamentosState NewState(int sealedCount, List<PagamentoRegistrado> open) => new() { Sealed = sealedCount, Open = open };

    /// <inheritdoc />
    public async Task<Outcome<PagamentoFeito>> PayAsync(NovoPagamento novo, string? idempotencyKey)
    {
        Dictionary<string, string[]>? errors = null;
        var valor = novo.Valor ?? StreamingRules.NewValor();
        if (StreamingRules.CheckValor(valor) is { } valorProblem) StreamingRules.Add(ref errors, "valor", valorProblem);
        var forma = novo.FormaPagamento is null ? StreamingRules.Pick(StreamingValues.FormasPagamento) : StreamingRules.OneOf(novo.FormaPagamento, StreamingValues.FormasPagamento);
        if (forma is null) StreamingRules.Add(ref errors, "forma_pagamento", StreamingRules.NotOneOf(StreamingValues.FormasPagamento));
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > MaxIdempotencyKey || idempotencyKey.Any(c => c is < '!' or > '~')))
        {
            StreamingRules.Add(ref errors, "Idempotency-Key", $"must be 1–{MaxIdempotencyKey} visible ASCII characters.");
        }
        if (errors is not null) return Outcome<PagamentoFeito>.Invalid(errors);
        if (await CheckUserAsync() is { } missing) return missing.As<PagamentoFeito>();

        if (idempotencyKey is not null)
        {
            foreach (var earlier in await NewestFirstAsync())
            {
                if (earlier.Pagamento.IdempotencyKey != idempotencyKey) continue;
                // The same key with other fields is a client error, not a repeat.
                if ((novo.Valor is { } v && v != earlier.Pagamento.Valor) || (forma != earlier.Pagamento.FormaPagamento && novo.FormaPagamento is not null))
                {
                    return Outcome<PagamentoFeito>.Conflict($"Idempotency-Key '{idempotencyKey}' was used for another payment ({earlier.Pagamento.Id}).");
                }
                return Outcome<PagamentoFeito>.Ok(new PagamentoFeito(earlier.Pagamento, true, earlier.CorrelationId));
            }
        }

        var now = DateTimeOffset.UtcNow;
        var pagamento = new Pagamento(Guid.NewGuid().ToString("N"), UserId, decimal.Round(valor, 2), forma!, "success", now, idempotencyKey);
        var change = NewEvent(StreamingEvents.Paid, StreamingKeys.Payments, UserKey, StreamingJson.Write(pagamento), now);
        await AppendAsync(new PagamentoRegistrado(pagamento, change.CorrelationId), change);
        return Outcome<PagamentoFeito>.Created(new PagamentoFeito(pagamento, false, change.CorrelationId));
    }

    /// <inheritdoc />
    public async Task<Outcome<IReadOnlyList<Pagamento>>> ListAsync(int limit)
    {
        if (limit is < 1 or > MaxLimit) return Outcome<IReadOnlyList<Pagamento>>.Invalid("limit", $"must be between 1 and {MaxLimit}.");
        if (await CheckUserAsync() is { } missing) return missing.As<IReadOnlyList<Pagamento>>();
        return Outcome<IReadOnlyList<Pagamento>>.Ok((await NewestFirstAsync()).Take(limit).Select(p => p.Pagamento).ToArray());
    }
}
