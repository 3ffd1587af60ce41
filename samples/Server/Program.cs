using Samples.Server;

// Serves a Fashion-MNIST classifier over HTTP. One model instance answers every request, from any number of threads.
// Usage: dotnet run --project samples/Server -c Release [-- --weights FILE --data DIR --epochs N --urls http://127.0.0.1:5000]
//   --weights FILE  load the weights from FILE if it exists; otherwise train, then save them there
//   --data DIR      where Fashion-MNIST is (else $NETGEN_DATA/fashion-mnist, else downloaded once)
//   --epochs N      epochs of training when there are no weights to load (default 3)
// Then:  curl http://127.0.0.1:5000/          the model and its summary
//        curl -d '{"pixels":[...784 values in 0..1...]}' -H 'Content-Type: application/json' http://127.0.0.1:5000/predict
ServerApp.Create(args).Run();
