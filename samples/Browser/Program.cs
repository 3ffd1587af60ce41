using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Samples.Browser;

WebAssemblyHostBuilder builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<Classifier>("#app");
await builder.Build().RunAsync();
