using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;
using Stakker.Hosting;

// In the namespaces where AddHostedService and friends live, so no extra using is needed.
namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Adds Stakker to a service collection</summary>
    public static class StakkerServiceCollectionExtensions
    {
        /// <summary>Runs a Stakker Core on its own thread for the life of the host</summary>
        /// <remarks>
        /// <para>Registers <see cref="StakkerRuntime"/> (a singleton), the hosted service that starts and
        /// stops it, and <see cref="StakkerOptions"/> bound from the configuration section
        /// <c>"Stakker"</c> when an <see cref="IConfiguration"/> is registered. The Core's clock is the
        /// <see cref="TimeProvider"/> registered in the container, else <see cref="TimeProvider.System"/>.</para>
        /// <para>Calling it again adds to the same Core: <paramref name="configure"/> can add more root actors.</para>
        /// </remarks>
        /// <param name="services">The application's services.</param>
        /// <param name="configure">Adds root actors and changes options: <c>stakker => stakker.AddRootActor&lt;Orders&gt;()</c>.</param>
        public static IServiceCollection AddStakker(this IServiceCollection services, Action<StakkerBuilder>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(services);
            StakkerRegistrations registrations = FindOrAddRegistrations(services);
            configure?.Invoke(new StakkerBuilder(services, registrations));
            return services;
        }

        static StakkerRegistrations FindOrAddRegistrations(IServiceCollection services)
        {
            foreach (ServiceDescriptor d in services)
            {
                if (d.ServiceType == typeof(StakkerRegistrations) && !d.IsKeyedService && d.ImplementationInstance is StakkerRegistrations existing)
                    return existing;
            }
            var registrations = new StakkerRegistrations();
            services.AddSingleton(registrations);
            services.AddOptions();
            // Configuration first (registered before any Configure from the builder), then code.
            services.AddSingleton<IConfigureOptions<StakkerOptions>, StakkerConfigurationBinder>();
            services.TryAddSingleton<StakkerRuntime>();
            // Logs through the container's ILoggerFactory, metrics on a meter from its IMeterFactory
            // (so AddMetrics and OpenTelemetry see it), tracing as the options say.
            services.TryAddSingleton(static sp => new global::Stakker.StakkerDiagnostics(sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>(),
                sp.GetRequiredService<IOptions<StakkerOptions>>().Value.Tracing));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StakkerHostedService>());
            return registrations;
        }
    }
}

namespace Microsoft.Extensions.Hosting
{
    /// <summary>Adds Stakker to a host application builder</summary>
    public static class StakkerHostApplicationBuilderExtensions
    {
        /// <summary>Runs a Stakker Core on its own thread for the life of the host (see
        /// <see cref="StakkerServiceCollectionExtensions.AddStakker(IServiceCollection, Action{StakkerBuilder}?)"/>)</summary>
        /// <remarks>Options come from <c>builder.Configuration</c>'s section <c>"Stakker"</c>.</remarks>
        public static TBuilder AddStakker<TBuilder>(this TBuilder builder, Action<StakkerBuilder>? configure = null)
            where TBuilder : IHostApplicationBuilder
        {
            ArgumentNullException.ThrowIfNull(builder);
            builder.Services.AddStakker(configure);
            return builder;
        }
    }
}

namespace Stakker.Hosting
{
    /// <summary>Binds <see cref="StakkerOptions"/> from the section <c>"Stakker"</c> of the registered configuration, if any</summary>
    internal sealed class StakkerConfigurationBinder(IServiceProvider services) : IConfigureOptions<StakkerOptions>
    {
        public void Configure(StakkerOptions options)
        {
            if (services.GetService<IConfiguration>() is { } configuration)
                configuration.GetSection(StakkerOptions.SectionName).Bind(options);
        }
    }
}
